package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import relay.api.RelayDeniedException;
import relay.api.RelayDeniedException.Reason;

class MessagesTest {

    @Test
    void aDestructionSaysWhatTheChannelDid() {
        Destruction d = new Destruction(Samples.active(), Samples.NOW.plusSeconds(10));
        assertEquals("Destroyed channel Zq3xYk7P-a_9LmN2bV8wQc of alice@example.com after 3m 15s: "
                + "24,346 datagrams, 2.4 MB forwarded.", Messages.destroyed(d));
        assertEquals(Duration.ofSeconds(195), d.lifetime());
    }

    @Test
    void drainModeInWords() {
        assertEquals("Drain mode is off: new channels are allowed.", Messages.drain(new DrainMode(false, 3)));
        assertEquals("Drain mode is on: no new channels; 1 live channel runs to the end.",
                Messages.drain(new DrainMode(true, 1)));
        assertEquals("Drain mode is on: no new channels; 3 live channels run to the end.",
                Messages.drain(new DrainMode(true, 3)));
    }

    @Test
    void aDenialNamesThePolicyOrTheReasonAndWhenToRetry() {
        assertEquals("Denied by policy whitelist: domain evil.example is not allowed. Nothing was allocated.",
                Messages.denied(new RelayDeniedException(Reason.POLICY, "whitelist",
                        "domain evil.example is not allowed.", null)));
        assertEquals("Denied by policy quota: 10 requests per minute; retry in 42s. Nothing was allocated.",
                Messages.denied(new RelayDeniedException(Reason.POLICY, "quota", "10 requests per minute",
                        Duration.ofSeconds(42))));
        assertEquals("Denied (ports exhausted): no free port. Nothing was allocated.",
                Messages.denied(new RelayDeniedException(Reason.PORTS_EXHAUSTED, "no free port")));
    }

    @Test
    void foreignTextInARefusalStaysOnOneLine() {
        assertEquals("Denied by policy odd: first second. Nothing was allocated.",
                Messages.denied(new RelayDeniedException(Reason.POLICY, "odd", "first\nsecond", null)));
        assertEquals("No channel with id 'a b'.", Messages.noSuchChannel("a\nb"));
        String longId = "x".repeat(500);
        assertEquals("No channel with id '" + "x".repeat(80) + "...'.", Messages.noSuchChannel(longId));
    }

    @Test
    void otherRefusals() {
        assertEquals("relay:drain takes 'on' or 'off', not 'maybe'.", Messages.invalidDrainMode("maybe"));
        assertEquals("The relay is not running (the relay is not active); relay:stats did nothing.",
                Messages.notRunning("relay:stats", "the relay is not active"));
        assertEquals("relay:stats failed: java.lang.NullPointerException: x (details in the log).",
                Messages.failed("relay:stats", new NullPointerException("x"), true));
        assertEquals("relay:stats failed: java.lang.NullPointerException: x.",
                Messages.failed("relay:stats", new NullPointerException("x"), false));
    }
}
