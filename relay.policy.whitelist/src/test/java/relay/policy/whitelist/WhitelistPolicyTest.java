package relay.policy.whitelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.spi.PolicyDecision;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;

/** The component on its own: decisions, messages, logging and live reconfiguration. */
class WhitelistPolicyTest {

    private final CapturedLog log = new CapturedLog(WhitelistPolicy.PID);
    private final WhitelistPolicy policy = new WhitelistPolicy();

    @AfterEach
    void closeLog() {
        log.close();
    }

    /** The configuration as DS hands it to the component. */
    private static WhitelistConfig config(Map<String, ?> properties) {
        return ComponentConfig.of(WhitelistConfig.class, properties);
    }

    private PolicyDecision evaluate(String jid) {
        // The whitelist looks at the requester only, never at the relay's state.
        return policy.evaluate(ChannelRequest.of(jid), null);
    }

    @Test
    void allowsListedDomainsAndNamesTheRefusedOne() {
        policy.activate(config(Map.of("domains", "example.com, *.example.org")));
        assertTrue(evaluate("alice@Example.com/phone").allowed());
        assertTrue(evaluate("bob@conf.example.org").allowed());
        PolicyDecision denied = evaluate("eve@evil.example");
        assertFalse(denied.allowed());
        assertEquals("domain evil.example is not on the whitelist", denied.message());
        assertEquals("whitelist", policy.name());
    }

    @Test
    void aDenialShowsBothSpellingsOfAnInternationalDomain() {
        policy.activate(config(Map.of("domains", "example.com")));
        assertEquals("domain xn--bcher-kva.example (bücher.example) is not on the whitelist",
                evaluate("eve@bücher.example").message());
    }

    @Test
    void withoutConfigurationEveryRequestIsDeniedAndOneWarningSaysWhy() {
        policy.activate(config(Map.of()));
        PolicyDecision denied = evaluate("alice@example.com");
        assertFalse(denied.allowed());
        assertEquals("domain example.com is not allowed: the whitelist is empty", denied.message());
        evaluate("bob@example.com");
        policy.modified(config(Map.of("revoke", "true")));
        assertEquals(1, log.messages(Level.WARNING).size(), log.messages(Level.WARNING).toString());
        assertTrue(log.messages(Level.WARNING).get(0).contains("has no domains"));
    }

    @Test
    void theEmptyListWarnsAgainWhenItBecomesEmptyAgain() {
        policy.activate(config(Map.of("domains", "")));
        policy.modified(config(Map.of("domains", "example.com")));
        policy.modified(config(Map.of("domains", new String[0])));
        assertEquals(2, log.messages(Level.WARNING).size());
    }

    @Test
    void anUpdateAppliesToTheNextRequest() {
        policy.activate(config(Map.of("domains", "example.com")));
        assertFalse(evaluate("bob@example.org").allowed());
        policy.modified(config(Map.of("domains", new String[] {"example.org"})));
        assertTrue(evaluate("bob@example.org").allowed());
        assertFalse(evaluate("alice@example.com").allowed());
    }

    @Test
    void anInvalidUpdateIsRefusedWithOneLineNamingTheEntryAndThePreviousListStays() {
        policy.activate(config(Map.of("domains", "example.com")));
        policy.modified(config(Map.of("domains", "example.org, not a domain")));
        List<String> errors = log.messages(Level.SEVERE);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("'not a domain' is not a domain"), errors.get(0));
        assertTrue(errors.get(0).contains("previous one stays"), errors.get(0));
        assertTrue(evaluate("alice@example.com").allowed());
        assertFalse(evaluate("bob@example.org").allowed());
    }

    @Test
    void anInvalidConfigurationAtActivationLeavesTheWhitelistClosed() {
        policy.activate(config(Map.of("domains", "example.com, x@y")));
        assertFalse(evaluate("alice@example.com").allowed());
        assertEquals(1, log.messages(Level.SEVERE).size());
    }

    @Test
    void describeSummarisesTheConfigurationOnOneLine() {
        policy.activate(config(Map.of()));
        assertEquals("no domains (every request is denied), revoke=false", policy.describe());
        policy.modified(config(Map.of("domains", "Example.com, *.bücher.example", "revoke", "true")));
        assertEquals("2 domains: example.com, *.xn--bcher-kva.example, revoke=true", policy.describe());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            many.append("d").append(i).append(".example,");
        }
        policy.modified(config(Map.of("domains", many.toString())));
        assertTrue(policy.describe().startsWith("12 domains: d0.example, "), policy.describe());
        assertTrue(policy.describe().endsWith("d9.example and 2 more, revoke=false"), policy.describe());
    }

    @Test
    void addingDomainsRevokesNothing() {
        policy.activate(config(Map.of("domains", "example.com", "revoke", true)));
        policy.modified(config(Map.of("domains", "example.com, example.org", "revoke", true)));
        assertTrue(log.messages(Level.WARNING).isEmpty(), log.messages(Level.WARNING).toString());
    }

    @Test
    void revokingWithoutARelayServiceOnlyWarns() {
        policy.activate(config(Map.of("domains", "example.com, example.org", "revoke", true)));
        policy.modified(config(Map.of("domains", "example.org", "revoke", true)));
        assertTrue(log.messages(Level.WARNING).stream().anyMatch(m -> m.contains("no RelayService")));
        assertTrue(evaluate("bob@example.org").allowed());
    }
}
