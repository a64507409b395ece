package relay.policy.quota;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import relay.api.BareJid;

/**
 * Per-user and per-domain channel limits that replace {@code max.channels.per.user}, written
 * {@code alice@example.com=10} or {@code example.org=2}. A user's own entry wins over its
 * domain's. Keys are normalised like {@link BareJid}s, so spellings of one user or domain
 * are one key.
 */
final class LimitOverrides {

    /** No overrides. */
    static final LimitOverrides NONE = new LimitOverrides(Map.of(), Map.of());

    private final Map<BareJid, Integer> users;
    private final Map<String, Integer> domains;

    private LimitOverrides(Map<BareJid, Integer> users, Map<String, Integer> domains) {
        this.users = users;
        this.domains = domains;
    }

    /**
     * @param entries {@code key=limit} entries
     * @return the overrides
     * @throws IllegalArgumentException naming every invalid or repeated entry
     */
    static LimitOverrides parse(Collection<String> entries) {
        Map<BareJid, Integer> users = new LinkedHashMap<>();
        Map<String, Integer> domains = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (String entry : entries) {
            try {
                int eq = entry.lastIndexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("expected user=limit or domain=limit");
                }
                BareJid key = key(entry.substring(0, eq).strip());
                int limit = QuotaSettings.nonNegative(entry.substring(eq + 1));
                Integer earlier = key.local().isEmpty() ? domains.put(key.domain(), limit) : users.put(key, limit);
                if (earlier != null) {
                    throw new IllegalArgumentException(key + " is overridden more than once");
                }
            } catch (IllegalArgumentException e) {
                errors.add("override '" + entry + "': " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return users.isEmpty() && domains.isEmpty() ? NONE
                : new LimitOverrides(Map.copyOf(users), Map.copyOf(domains));
    }

    private static BareJid key(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("no user or domain before '='");
        }
        if (text.contains("/")) {
            throw new IllegalArgumentException("a bare JID or a domain has no resource");
        }
        return BareJid.parse(text);
    }

    /**
     * @param user a requester
     * @return the limit of that user's own entry, else of its domain's, else empty
     */
    OptionalInt limitFor(BareJid user) {
        Integer limit = users.get(user);
        if (limit == null) {
            limit = domains.get(user.domain());
        }
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    /** @return true if there are no overrides */
    boolean isEmpty() {
        return users.isEmpty() && domains.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitOverrides other && users.equals(other.users) && domains.equals(other.domains);
    }

    @Override
    public int hashCode() {
        return users.hashCode() * 31 + domains.hashCode();
    }

    /** @return users first, then domains, each sorted, as {@code key=limit, ...} */
    @Override
    public String toString() {
        String u = users.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                .collect(Collectors.joining(", "));
        String d = domains.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted()
                .collect(Collectors.joining(", "));
        return u.isEmpty() ? d : d.isEmpty() ? u : u + ", " + d;
    }
}
