package relay.policy.quota;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import relay.api.BareJid;

/**
 * The quota's configuration, validated: what {@link QuotaConfig} cannot say by its types.
 *
 * @param maxChannelsPerUser how many live channels a user may hold (0: none)
 * @param maxRequestsPerMinute how many channels a user may allocate in any minute (0: no limit)
 * @param overrides channel limits for particular users and domains
 */
record QuotaSettings(int maxChannelsPerUser, int maxRequestsPerMinute, LimitOverrides overrides, int maxKbpsPerChannel,
        LimitOverrides kbpsOverrides) {

    /** The settings without any configuration: the defaults of {@link QuotaConfig}. */
    static final QuotaSettings DEFAULTS = from(Unconfigured.class.getAnnotation(QuotaConfig.class));

    /**
     * @param config the component's configuration
     * @return the settings
     * @throws IllegalArgumentException naming the key and the value, if something is invalid
     */
    static QuotaSettings from(QuotaConfig config) {
        return new QuotaSettings(
                count("max.channels.per.user", config.max_channels_per_user()),
                count("max.requests.per.minute", config.max_requests_per_minute()),
                LimitOverrides.parse(items(config.overrides())),
                count("max.kbps.per.channel", config.max_kbps_per_channel()),
                kbpsOverrides(items(config.kbps_overrides())));
    }

    /**
     * @param user a requester
     * @return how many live channels that user may hold
     */
    int channelLimit(BareJid user) {
        return overrides.limitFor(user).orElse(maxChannelsPerUser);
    }

    /**
     * @param user a requester
     * @return the cap on each side of that user's channels, kbit/s; 0 for none
     */
    int kbpsCap(BareJid user) {
        return kbpsOverrides.limitFor(user).orElse(maxKbpsPerChannel);
    }

    private static LimitOverrides kbpsOverrides(List<String> entries) {
        try {
            return LimitOverrides.parse(entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kbps.overrides: " + e.getMessage(), e);
        }
    }

    /** @return whether the request-rate limit is on */
    boolean rateLimited() {
        return maxRequestsPerMinute > 0;
    }

    private static int count(String key, String value) {
        try {
            return nonNegative(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " " + e.getMessage());
        }
    }

    /**
     * @param text a whole number, as text
     * @return it, as an int
     * @throws IllegalArgumentException saying what is wrong, if it is not a whole number from 0 to
     *         {@link Integer#MAX_VALUE}
     */
    static int nonNegative(String text) {
        long n;
        try {
            n = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, was '" + text + "'");
        }
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be from 0 to " + Integer.MAX_VALUE + ", was " + n);
        }
        return (int) n;
    }

    /** A list may come as one comma-separated text (a .cfg file) or as several values: both read the same. */
    private static List<String> items(String[] values) {
        return Arrays.stream(values).filter(Objects::nonNull).flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    /** Carries {@link QuotaConfig} with nothing set, so that its defaults can be read at run time. */
    @QuotaConfig
    private static final class Unconfigured {
    }
}
