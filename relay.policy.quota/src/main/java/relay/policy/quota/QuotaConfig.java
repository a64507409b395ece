package relay.policy.quota;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype description of the configuration PID {@value QuotaPolicy#PID}. */
@ObjectClassDefinition(id = QuotaPolicy.PID, name = "Relay per-user quota",
        description = "Limits how many live channels each user (bare JID) may hold and how fast it may allocate.")
@interface QuotaConfig {

    /** @return live channels per user */
    @AttributeDefinition(name = "Channels per user", min = "0",
            description = "A user holding this many live channels is denied a new one (0: no channel at all)."
                    + " Lowering it never cuts live channels.")
    int max_channels_per_user() default QuotaSettings.DEFAULT_MAX_CHANNELS_PER_USER;

    /** @return allocations per user per minute */
    @AttributeDefinition(name = "Requests per minute", min = "0",
            description = "How many channels a user may allocate in any 60 seconds; a denial says when to retry."
                    + " 0 turns the limit off.")
    int max_requests_per_minute() default QuotaSettings.DEFAULT_MAX_REQUESTS_PER_MINUTE;

    /** @return per-user and per-domain channel limits */
    @AttributeDefinition(name = "Overrides", required = false,
            description = "Channel limits for particular users or domains, replacing 'Channels per user':"
                    + " alice@example.com=10, example.org=2. A user's own entry wins over its domain's."
                    + " A single value may hold a comma-separated list.")
    String[] overrides() default {};
}
