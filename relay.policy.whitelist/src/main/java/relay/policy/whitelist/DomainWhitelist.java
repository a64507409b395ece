package relay.policy.whitelist;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** An immutable list of {@link DomainPattern}s; a domain is allowed if any entry matches it. */
final class DomainWhitelist {

    /** The list that allows nobody. */
    static final DomainWhitelist EMPTY = new DomainWhitelist(List.of());

    private final List<DomainPattern> patterns;

    private DomainWhitelist(List<DomainPattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /**
     * @param entries configured entries; duplicates (after normalisation) are kept once
     * @return the whitelist
     * @throws IllegalArgumentException naming every entry that is not a domain
     */
    static DomainWhitelist parse(Collection<String> entries) {
        Set<DomainPattern> parsed = new LinkedHashSet<>();
        List<String> errors = new ArrayList<>();
        for (String entry : entries) {
            try {
                parsed.add(DomainPattern.parse(entry));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return new DomainWhitelist(new ArrayList<>(parsed));
    }

    /**
     * @param domain a normalised domain
     * @return whether some entry matches it
     */
    boolean allows(String domain) {
        for (DomainPattern p : patterns) {
            if (p.matches(domain)) {
                return true;
            }
        }
        return false;
    }

    /** @return true if the list allows nobody */
    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** @return the entries, normalised, in configured order */
    List<DomainPattern> patterns() {
        return patterns;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DomainWhitelist other && patterns.equals(other.patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    /** @return the entries, comma separated */
    @Override
    public String toString() {
        return patterns.stream().map(DomainPattern::toString).collect(Collectors.joining(", "));
    }
}
