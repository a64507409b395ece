package relay.policy.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import relay.api.BareJid;
import relay.api.ChannelRequest;
import relay.api.ChannelSide;
import relay.api.ChannelState;
import relay.api.RelayChannel;
import relay.api.Traffic;
import relay.api.spi.PolicyContext;
import relay.api.spi.PolicyDecision;
import relay.testing.CapturedLog;
import relay.testing.ComponentConfig;

/**
 * The component on its own, with live-channel counts set by the test and a clock it moves by
 * hand; the tests against the real relay are in {@link QuotaWithCoreTest}.
 */
class QuotaPolicyTest {

    private final CapturedLog log = new CapturedLog(QuotaPolicy.PID);
    private final AtomicLong now = new AtomicLong();
    private final QuotaPolicy policy = new QuotaPolicy(now::get);
    private final Map<BareJid, Integer> live = new HashMap<>();

    /** The counts the relay would report. */
    private final PolicyContext context = new PolicyContext() {
        @Override
        public int liveChannels(BareJid user) {
            return live.getOrDefault(user, 0);
        }

        @Override
        public int liveChannels() {
            return live.values().stream().mapToInt(Integer::intValue).sum();
        }
    };

    @AfterEach
    void closeLog() {
        log.close();
    }

    /** The configuration as DS hands it to the component. */
    private static QuotaConfig config(Map<String, ?> properties) {
        return ComponentConfig.of(QuotaConfig.class, properties);
    }

    private PolicyDecision evaluate(String jid) {
        return policy.evaluate(ChannelRequest.of(jid), context);
    }

    /** Does what the relay does after an allowed request: the channel exists, the policy books it. */
    private void allocate(String jid) {
        BareJid user = BareJid.parse(jid);
        live.merge(user, 1, Integer::sum);
        ChannelSide side = ChannelSide.of(24000, 24001, null, null);
        Instant t = Instant.now();
        policy.allocated(RelayChannel.builder().id("id").owner(user).host("127.0.0.1").rtcp(true).sideA(side).sideB(side)
                .created(t).lastActivity(t).expire(60).state(ChannelState.WAITING).aToB(Traffic.NONE).bToA(Traffic.NONE)
                .build());
    }

    @Test
    void deniesAUserHoldingTheLimitAndSaysSo() {
        policy.activate(config(Map.of("max.channels.per.user", 2)));
        live.put(BareJid.parse("alice@example.com"), 1);
        assertTrue(evaluate("alice@example.com").allowed());
        live.put(BareJid.parse("alice@example.com"), 2);
        PolicyDecision denied = evaluate("Alice@Example.com/phone");
        assertFalse(denied.allowed());
        assertEquals("alice@example.com already holds 2 live channels, the limit is 2", denied.message());
        assertNull(denied.retryAfter());
        assertTrue(evaluate("bob@example.com").allowed());
        assertEquals("quota", policy.name());
    }

    @Test
    void theDefaultLimitIsFour() {
        policy.activate(config(Map.of()));
        live.put(BareJid.parse("alice@example.com"), 3);
        assertTrue(evaluate("alice@example.com").allowed());
        live.put(BareJid.parse("alice@example.com"), 4);
        assertFalse(evaluate("alice@example.com").allowed());
    }

    @Test
    void overridesApplyMostSpecificFirst() {
        policy.activate(config(Map.of("max.channels.per.user", "1", "overrides", "alice@example.org=3, example.org=0")));
        live.put(BareJid.parse("alice@example.org"), 2);
        assertTrue(evaluate("alice@example.org").allowed());
        assertEquals("bob@example.org may not hold any channel (limit 0)", evaluate("bob@example.org").message());
        live.put(BareJid.parse("carol@example.com"), 1);
        assertFalse(evaluate("carol@example.com").allowed());
    }

    @Test
    void aCapPerChannelComesWithTheAllowWithItsOverrides() {
        policy.activate(config(Map.of("max.kbps.per.channel", "256", "kbps.overrides", "vip@example.com=0, example.org=64")));
        assertEquals(256, evaluate("alice@example.com").maxKbps());
        assertEquals(64, evaluate("bob@example.org").maxKbps());
        assertEquals(0, evaluate("vip@example.com").maxKbps(), "0: no cap for this user");
        assertEquals(0, evaluate("alice@example.com").maxPps());
        policy.modified(config(Map.of("kbps.overrides", "example..org=1")));
        assertEquals(1, log.messages(java.util.logging.Level.SEVERE).size(), "a bad override is refused");
        assertEquals(256, evaluate("alice@example.com").maxKbps(), "the previous configuration stays");
    }

    @Test
    void anUpdateAppliesToTheNextRequestAndLoweringCutsNothing() {
        policy.activate(config(Map.of("max.channels.per.user", 4)));
        live.put(BareJid.parse("alice@example.com"), 3);
        assertTrue(evaluate("alice@example.com").allowed());
        policy.modified(config(Map.of("max.channels.per.user", 2)));
        assertEquals("alice@example.com already holds 3 live channels, the limit is 2",
                evaluate("alice@example.com").message());
        live.put(BareJid.parse("alice@example.com"), 1);
        assertTrue(evaluate("alice@example.com").allowed());
    }

    @Test
    void anInvalidUpdateIsRefusedWithOneLineAndThePreviousConfigurationStays() {
        policy.activate(config(Map.of("max.channels.per.user", 1)));
        policy.modified(config(Map.of("max.channels.per.user", -3, "overrides", "alice@example.com=9")));
        policy.modified(config(Map.of("overrides", "example.org=lots")));
        List<String> errors = log.messages(Level.SEVERE);
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("max.channels.per.user must be from 0 to 2147483647, was -3"), errors.get(0));
        assertTrue(errors.get(1).contains("override 'example.org=lots'"), errors.get(1));
        assertTrue(errors.get(1).contains("previous one stays"), errors.get(1));
        live.put(BareJid.parse("alice@example.com"), 1);
        assertFalse(evaluate("alice@example.com").allowed());
        assertEquals("channels per user: 1, allocations per user per minute: no limit", policy.describe());
    }

    @Test
    void theRateLimitCountsAllocationsAndSaysWhenToRetry() {
        policy.activate(config(Map.of("max.channels.per.user", 100, "max.requests.per.minute", 2)));
        allocate("alice@example.com");
        now.addAndGet(Duration.ofSeconds(15).toNanos());
        assertTrue(evaluate("alice@example.com").allowed());
        allocate("alice@example.com");
        now.addAndGet(Duration.ofMillis(100).toNanos());
        PolicyDecision denied = evaluate("alice@example.com");
        assertFalse(denied.allowed());
        assertEquals(Duration.ofMillis(44_900), denied.retryAfter());
        assertEquals("alice@example.com reached the limit of 2 channel allocations per minute; retry in 45 s",
                denied.message());
        assertTrue(evaluate("bob@example.com").allowed());
        now.addAndGet(denied.retryAfter().toNanos());
        assertTrue(evaluate("alice@example.com").allowed());
    }

    @Test
    void retryAfterIsRoundedUpToAMillisecond() {
        policy.activate(config(Map.of("max.requests.per.minute", 1)));
        allocate("alice@example.com");
        now.addAndGet(1);
        assertEquals(Duration.ofMinutes(1), evaluate("alice@example.com").retryAfter());
    }

    @Test
    void withTheRateLimitOffNothingIsRemembered() {
        policy.activate(config(Map.of("max.requests.per.minute", 1)));
        allocate("alice@example.com");
        assertEquals(1, policy.rateTrackedUsers());
        policy.modified(config(Map.of("max.requests.per.minute", 0)));
        assertEquals(0, policy.rateTrackedUsers());
        allocate("alice@example.com");
        allocate("bob@example.com");
        assertEquals(0, policy.rateTrackedUsers());
        assertTrue(evaluate("alice@example.com").allowed());
    }

    @Test
    void describeSummarisesTheConfigurationOnOneLine() {
        policy.activate(config(Map.of()));
        assertEquals("channels per user: 4, allocations per user per minute: no limit", policy.describe());
        policy.modified(config(Map.of("max.channels.per.user", "3", "max.requests.per.minute", "20",
                "overrides", new String[] {"example.org=2", "Alice@Example.com=10"})));
        assertEquals("channels per user: 3, allocations per user per minute: 20,"
                + " overrides: alice@example.com=10, example.org=2", policy.describe());
    }
}
