package relay.policy.quota;

import java.util.Map;

import relay.api.BareJid;

/**
 * The quota's configuration, validated.
 *
 * @param maxChannelsPerUser how many live channels a user may hold (0: none)
 * @param maxRequestsPerMinute how many channels a user may allocate in any minute (0: no limit)
 * @param overrides channel limits for particular users and domains
 */
record QuotaSettings(int maxChannelsPerUser, int maxRequestsPerMinute, LimitOverrides overrides) {

    static final String MAX_CHANNELS_PER_USER = "max.channels.per.user";
    static final String MAX_REQUESTS_PER_MINUTE = "max.requests.per.minute";
    static final String OVERRIDES = "overrides";
    static final int DEFAULT_MAX_CHANNELS_PER_USER = 4;
    static final int DEFAULT_MAX_REQUESTS_PER_MINUTE = 0;

    /** The settings without any configuration. */
    static final QuotaSettings DEFAULTS = new QuotaSettings(DEFAULT_MAX_CHANNELS_PER_USER,
            DEFAULT_MAX_REQUESTS_PER_MINUTE, LimitOverrides.NONE);

    /**
     * @param properties the component's configuration (other keys are ignored)
     * @return the settings
     * @throws IllegalArgumentException naming the key and the value, if something is invalid
     */
    static QuotaSettings from(Map<String, ?> properties) {
        return new QuotaSettings(
                count(properties, MAX_CHANNELS_PER_USER, DEFAULT_MAX_CHANNELS_PER_USER),
                count(properties, MAX_REQUESTS_PER_MINUTE, DEFAULT_MAX_REQUESTS_PER_MINUTE),
                LimitOverrides.parse(ListProperty.values(OVERRIDES, properties.get(OVERRIDES))));
    }

    /**
     * @param user a requester
     * @return how many live channels that user may hold
     */
    int channelLimit(BareJid user) {
        return overrides.limitFor(user).orElse(maxChannelsPerUser);
    }

    /** @return whether the request-rate limit is on */
    boolean rateLimited() {
        return maxRequestsPerMinute > 0;
    }

    private static int count(Map<String, ?> properties, String key, int absent) {
        Object value = properties.get(key);
        if (value == null) {
            return absent;
        }
        try {
            return nonNegative(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + e.getMessage());
        }
    }

    /**
     * @param value a number, or its text
     * @return it, as an int
     * @throws IllegalArgumentException saying what is wrong, if it is not a whole number from 0 to
     *         {@link Integer#MAX_VALUE}
     */
    static int nonNegative(Object value) {
        long n;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            n = ((Number) value).longValue();
        } else if (value instanceof String s) {
            try {
                n = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, was '" + value + "'");
            }
        } else {
            throw new IllegalArgumentException("must be a whole number, was '" + value + "'");
        }
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be from 0 to " + Integer.MAX_VALUE + ", was " + n);
        }
        return (int) n;
    }
}
