package relay.policy.whitelist;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The whitelist's configuration, validated: what {@link WhitelistConfig} cannot say by its types.
 *
 * @param domains who may allocate
 * @param revoke whether removing a domain destroys its live channels
 */
record WhitelistSettings(DomainWhitelist domains, boolean revoke) {

    /** Before any valid configuration: nobody may allocate (fail closed), so nothing is ever revoked. */
    static final WhitelistSettings DENY_ALL = new WhitelistSettings(DomainWhitelist.EMPTY, false);

    /**
     * @param config the component's configuration
     * @return the settings
     * @throws IllegalArgumentException naming the key and the value, if something is invalid
     */
    static WhitelistSettings from(WhitelistConfig config) {
        DomainWhitelist domains;
        try {
            domains = DomainWhitelist.parse(items(config.domains()));
        } catch (IllegalArgumentException e) {
            // an entry's error names the entry; the log line must name the key too
            throw new IllegalArgumentException("domains: " + e.getMessage(), e);
        }
        return new WhitelistSettings(domains, flag("revoke", config.revoke()));
    }

    /** A list may come as one comma-separated text (a .cfg file) or as several values: both read the same. */
    private static List<String> items(String[] values) {
        return Arrays.stream(values).filter(Objects::nonNull).flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    private static boolean flag(String key, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off", "" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + value + "'");
        };
    }
}
