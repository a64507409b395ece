package relay.policy.whitelist;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration PID {@value WhitelistPolicy#PID}: its metatype description, and the component
 * property type {@link WhitelistPolicy} is configured with. The defaults live here only.
 *
 * <p>{@code revoke} is read as text and checked by {@link WhitelistSettings}: Declarative Services
 * would read any text but {@code true} as false ({@code on}, {@code yes}, a typo), where the
 * relay's configuration takes {@code true/false}, {@code yes/no} and {@code on/off} and refuses
 * anything else.
 */
@ObjectClassDefinition(id = WhitelistPolicy.PID, name = "Relay domain whitelist",
        description = "Only users whose bare JID has a listed domain may allocate relay channels.")
public @interface WhitelistConfig {

    /** @return allowed domains and wildcards */
    @AttributeDefinition(name = "Domains", required = false,
            description = "Exact domains (example.com) and subdomain wildcards (*.example.com matches a.example.com"
                    + " and a.b.example.com, not example.com). Case and IDN spellings of one domain match each"
                    + " other. A single value may hold a comma-separated list. Empty: every request is denied.")
    String[] domains() default {};

    /** @return whether removing a domain destroys its live channels, as text */
    @AttributeDefinition(name = "Revoke", type = AttributeType.BOOLEAN,
            description = "When true, a change that removes a domain destroys that domain's live channels"
                    + " (reason REVOKED); when false they run until they end.")
    String revoke() default "false";
}
