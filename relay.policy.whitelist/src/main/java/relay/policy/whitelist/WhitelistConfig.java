package relay.policy.whitelist;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype description of the configuration PID {@value WhitelistPolicy#PID}. */
@ObjectClassDefinition(id = WhitelistPolicy.PID, name = "Relay domain whitelist",
        description = "Only users whose bare JID has a listed domain may allocate relay channels.")
@interface WhitelistConfig {

    /** @return allowed domains and wildcards */
    @AttributeDefinition(name = "Domains", required = false,
            description = "Exact domains (example.com) and subdomain wildcards (*.example.com matches a.example.com"
                    + " and a.b.example.com, not example.com). Case and IDN spellings of one domain match each"
                    + " other. A single value may hold a comma-separated list. Empty: every request is denied.")
    String[] domains() default {};

    /** @return whether removing a domain destroys its live channels */
    @AttributeDefinition(name = "Revoke",
            description = "When true, a change that removes a domain destroys that domain's live channels"
                    + " (reason REVOKED); when false they run until they end.")
    boolean revoke() default WhitelistSettings.DEFAULT_REVOKE;
}
