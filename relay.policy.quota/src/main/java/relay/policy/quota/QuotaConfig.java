package relay.policy.quota;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration PID {@value QuotaPolicy#PID}: its metatype description, and the component
 * property type {@link QuotaPolicy} is configured with. The defaults live here only (kept at run
 * time, for the settings before any configuration: {@link QuotaSettings#DEFAULTS}).
 *
 * <p>The limits are whole numbers read as text and checked by {@link QuotaSettings}: Declarative
 * Services would cut 2.5 to 2, wrap a long past the int range, refuse {@code " 7 "} and name no
 * value when it refuses.
 */
@Retention(RetentionPolicy.RUNTIME)
@ObjectClassDefinition(id = QuotaPolicy.PID, name = "Relay per-user quota",
        description = "Limits how many live channels each user (bare JID) may hold and how fast it may allocate.")
public @interface QuotaConfig {

    /** @return live channels per user */
    @AttributeDefinition(name = "Channels per user", type = AttributeType.INTEGER, min = "0",
            description = "A user holding this many live channels is denied a new one (0: no channel at all)."
                    + " Lowering it never cuts live channels.")
    String max_channels_per_user() default "4";

    /** @return allocations per user per minute */
    @AttributeDefinition(name = "Requests per minute", type = AttributeType.INTEGER, min = "0",
            description = "How many channels a user may allocate in any 60 seconds; a denial says when to retry."
                    + " 0 turns the limit off.")
    String max_requests_per_minute() default "0";

    /** @return per-user and per-domain channel limits */
    @AttributeDefinition(name = "Overrides", required = false,
            description = "Channel limits for particular users or domains, replacing 'Channels per user':"
                    + " alice@example.com=10, example.org=2. A user's own entry wins over its domain's."
                    + " A single value may hold a comma-separated list.")
    String[] overrides() default {};

    /** @return the cap on each side of a channel, kbit/s */
    @AttributeDefinition(name = "Cap per channel (kbit/s)", type = AttributeType.INTEGER, min = "0",
            description = "Each side of a user's channel is held to this rate (the relay's own max.kbps applies too,"
                    + " the lower wins); 0: no cap from the quota. New channels.")
    String max_kbps_per_channel() default "0";

    /** @return per-user and per-domain caps */
    @AttributeDefinition(name = "Cap overrides", required = false,
            description = "Caps for particular users or domains, replacing 'Cap per channel': alice@example.com=2000,"
                    + " example.org=128. A user's own entry wins over its domain's.")
    String[] kbps_overrides() default {};
}
