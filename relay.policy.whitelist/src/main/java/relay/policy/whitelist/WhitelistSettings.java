package relay.policy.whitelist;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whitelist's configuration, validated.
 *
 * @param domains who may allocate
 * @param revoke whether removing a domain destroys its live channels
 */
record WhitelistSettings(DomainWhitelist domains, boolean revoke) {

    static final String DOMAINS = "domains";
    static final String REVOKE = "revoke";
    static final boolean DEFAULT_REVOKE = false;

    /** No configuration yet: nobody may allocate. */
    static final WhitelistSettings DENY_ALL = new WhitelistSettings(DomainWhitelist.EMPTY, DEFAULT_REVOKE);

    /**
     * @param properties the component's configuration (other keys are ignored)
     * @return the settings
     * @throws IllegalArgumentException naming the key and the value, if something is invalid
     */
    static WhitelistSettings from(Map<String, ?> properties) {
        List<String> entries = ListProperty.values(DOMAINS, properties.get(DOMAINS));
        DomainWhitelist domains;
        try {
            domains = DomainWhitelist.parse(entries);
        } catch (IllegalArgumentException e) {
            // an entry's error names the entry; the log line must name the key too
            throw new IllegalArgumentException(DOMAINS + ": " + e.getMessage(), e);
        }
        return new WhitelistSettings(domains, bool(REVOKE, properties.get(REVOKE), DEFAULT_REVOKE));
    }

    private static boolean bool(String key, Object value, boolean absent) {
        if (value == null) {
            return absent;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            case "" -> absent;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + value + "'");
        };
    }
}
