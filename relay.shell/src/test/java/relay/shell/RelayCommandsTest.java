package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayDeniedException;
import relay.api.RelayStats;
import relay.core.RelayCore;
import relay.shell.GogoShell.Transcript;

/** The commands typed into a real Gogo console, against a real relay core forwarding real datagrams. */
class RelayCommandsTest {

    private RelayCore core;
    private GogoShell shell;

    @BeforeEach
    void start() {
        core = RelayCore25.start(25000);
        shell = new GogoShell(core);
    }

    @AfterEach
    void stop() {
        shell.close();
        core.deactivate();
    }

    @Test
    void anEmptyRelayHasNoChannels() {
        Transcript t = shell.run("relay:channels");
        assertEquals("No channels.\n", t.out());
        assertEquals("", t.err());
    }

    @Test
    void allocatePrintsWhatAJingleNodesClientNeeds() {
        Transcript t = shell.run("relay:allocate Alice@Example.COM/phone");
        assertEquals("", t.err());
        List<RelayChannel> live = core.channels();
        assertEquals(1, live.size());
        RelayChannel c = live.get(0);
        assertEquals("alice@example.com", c.owner().toString());
        assertTrue(c.portA() >= 25000 && c.portB() <= 25099, c.toString());
        assertEquals(List.of(
                "Allocated channel " + c.id() + " for alice@example.com",
                "host        127.0.0.1",
                "localport   " + c.portA() + "  (the requester sends here: side A)",
                "remoteport  " + c.portB() + "  (the other party sends here: side B)",
                "rtcp ports  " + (c.portA() + 1) + " and " + (c.portB() + 1),
                "expire      60  (seconds without traffic before the relay closes it)",
                "id          " + c.id()), t.out().lines().toList());
    }

    @Test
    void allocateWithRtcpMuxBindsRtpPortsOnly() {
        Transcript t = shell.run("relay:allocate --rtcp-mux carol@example.com");
        assertEquals("", t.err());
        RelayChannel c = core.channels().get(0);
        assertFalse(c.rtcp(), c.toString());
        assertTrue(t.out().lines().anyMatch(l -> l.equals("rtcp ports  none (rtcp-mux)")), t.out());
    }

    @Test
    void channelsListsEveryChannelNewestFirstAndCountsThem() throws Exception {
        RelayChannel alice = allocate("alice@example.com");
        Thread.sleep(5); // distinct creation instants, so "newest first" has one answer
        RelayChannel bob = allocate("bob@example.com");

        List<String> lines = shell.run("relay:channels").out().lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("ID "), lines.get(0));
        assertTrue(lines.get(1).startsWith(bob.id() + "  bob@example.com  "), lines.get(1));
        assertTrue(lines.get(2).startsWith(alice.id() + "  alice@example.com  waiting  127.0.0.1:" + alice.portA()
                + "<->" + alice.portB() + "  -  "), lines.get(2));
        assertEquals("2 channels", lines.get(3));
        assertEquals(lines.get(0).indexOf("OWNER"), lines.get(2).indexOf("alice@"), "columns are aligned");
    }

    @Test
    void channelsOfOneUser() {
        RelayChannel alice = allocate("alice@example.com");
        RelayChannel bob = allocate("bob@example.com");
        String out = shell.run("relay:channels Bob@Example.com").out();
        assertTrue(out.contains(bob.id()), out);
        assertFalse(out.contains(alice.id()), out);
        assertTrue(out.endsWith("\n1 channel of bob@example.com\n"), out);
        assertEquals("No channels of carol@example.com.\n", shell.run("relay:channels carol@example.com").out());
    }

    @Test
    void channelShowsPeersTrafficAndDropsByReasonOfRealDatagrams() throws Exception {
        RelayChannel c = allocate("alice@example.com");
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            a.send(c.portA(), 100);                 // B has not latched yet: dropped, not latched
            awaitCounters(c.id(), 0, 1, 0);
            b.send(c.portB(), 40);                  // latches B; forwarded to A
            assertEquals(40, a.receive());
            for (int i = 0; i < 3; i++) {
                a.send(c.portA(), 1000);
                assertEquals(1000, b.receive());
            }
            awaitCounters(c.id(), 3, 1, 1);

            String out = shell.run("relay:channel " + c.id()).out();
            assertTrue(out.startsWith("id        " + c.id() + "\nowner     alice@example.com\nstate     active\n"), out);
            assertMatches("(?m)^A\\s+" + c.portA() + "\\s+" + (c.portA() + 1) + "\\s+127\\.0\\.0\\.1:" + a.port() + "\\s+-$", out);
            assertMatches("(?m)^B\\s+" + c.portB() + "\\s+" + (c.portB() + 1) + "\\s+127\\.0\\.0\\.1:" + b.port() + "\\s+-$", out);
            assertMatches("(?m)^A->B\\s+3\\s+3\\.0 kB\\s+1\\s+not latched 1$", out);
            assertMatches("(?m)^B->A\\s+1\\s+40 B\\s+0\\s+-$", out);

            String table = shell.run("relay:channels").out();
            assertMatches("(?m)^" + c.id() + "\\s+alice@example\\.com\\s+active\\s+127\\.0\\.0\\.1:" + c.portA() + "<->"
                    + c.portB() + "\\s+127\\.0\\.0\\.1:" + a.port() + "\\s+127\\.0\\.0\\.1:" + b.port()
                    + "\\s+\\S+\\s+\\S+\\s+3\\s+3\\.0 kB\\s+1\\s+40 B\\s+1$", table);
        }
    }

    @Test
    void destroySaysSoAndTheChannelIsGone() {
        RelayChannel c = allocate("alice@example.com");
        Transcript t = shell.run("relay:destroy " + c.id());
        assertEquals("", t.err());
        assertMatches("^Destroyed channel " + Pattern.quote(c.id())
                + " of alice@example\\.com after \\d+s: 0 datagrams, 0 B forwarded\\.\n$", t.out());
        assertTrue(core.channel(c.id()).isEmpty());
        assertEquals(1L, core.stats().destroyed().get(DestroyReason.REQUESTED));

        Transcript again = shell.run("relay:destroy " + c.id());
        assertEquals("", again.out());
        assertEquals("No channel with id '" + c.id() + "'.\n", again.err());
    }

    @Test
    void badInputPrintsOneClearLineAndChangesNothing() {
        RelayChannel c = allocate("alice@example.com");
        RelayStats before = core.stats();

        Transcript t = shell.run(
                "relay:channel nosuchid",
                "relay:destroy nosuchid",
                "relay:allocate alice@",
                "relay:allocate 'bad jid@example.com'",
                "relay:channels @example.com",
                "relay:drain maybe");

        assertEquals("", t.out());
        assertEquals(List.of(
                "No channel with id 'nosuchid'.",
                "No channel with id 'nosuchid'.",
                "Invalid JID 'alice@': empty domainpart.",
                "Invalid JID 'bad jid@example.com': character U+0020 is not allowed in the localpart.",
                "Invalid JID '@example.com': empty localpart before '@'.",
                "relay:drain takes 'on' or 'off', not 'maybe'."), t.err().lines().toList());
        assertUnchanged(before, c);
    }

    @Test
    void aDeniedRequestSaysWhoDeniedItAndAllocatesNothing() {
        DomainBan ban = new DomainBan("evil.example");
        Map<String, Object> props = Map.of("service.id", 7L, "service.ranking", 0);
        core.bindPolicy(ban, props);
        shell.commands().bindPolicy(ban, props);
        RelayChannel c = allocate("alice@example.com");
        RelayStats before = core.stats();

        Transcript t = shell.run("relay:allocate mallory@evil.example");
        assertEquals("", t.out());
        assertEquals("Denied by policy ban: domain evil.example is not allowed. Nothing was allocated.\n", t.err());
        assertEquals(List.of(c.id()), core.channels().stream().map(RelayChannel::id).toList());
        assertEquals(1L, core.stats().denied().get(RelayDeniedException.Reason.POLICY));
        assertEquals(before.allocated(), core.stats().allocated());
    }

    @Test
    void drainModeRefusesNewChannelsAndKeepsLiveOnes() {
        RelayChannel c = allocate("alice@example.com");
        assertEquals("Drain mode is off: new channels are allowed.\n", shell.run("relay:drain").out());

        Transcript t = shell.run("relay:drain on", "relay:allocate bob@example.com", "relay:drain");
        assertEquals("Drain mode is on: no new channels; 1 live channel runs to the end.\n"
                + "Drain mode is on: no new channels; 1 live channel runs to the end.\n", t.out());
        assertEquals("Denied (draining): the relay is draining: live channels run on, no new ones are made."
                + " Nothing was allocated.\n", t.err());
        assertTrue(core.draining());
        assertEquals(List.of(c.id()), core.channels().stream().map(RelayChannel::id).toList());

        assertEquals("Drain mode is off: new channels are allowed.\n", shell.run("relay:drain off").out());
        assertFalse(core.draining());
        assertEquals("", shell.run("relay:allocate bob@example.com").err());
        assertEquals(2, core.channels().size());
    }

    @Test
    void statsShowTotalsByReason() throws Exception {
        RelayChannel c = allocate("alice@example.com");
        allocate("bob@example.com");
        core.destroy(c.id());
        core.drain(true);
        shell.run("relay:allocate carol@example.com");
        core.drain(false);
        RelayStats s = core.stats();

        List<String> lines = shell.run("relay:stats").out().lines().toList();
        assertEquals(13, lines.size(), String.join("\n", lines));
        assertMatches("^uptime            \\d+s \\(since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)$", lines.get(0));
        assertEquals(List.of(
                "live channels     1 (max 10,000)",
                // the port range of RelayCore25 holds 25 channels; a core that reports no capacity yet shows 0
                "capacity          " + Units.count(s.effectiveCapacity()) + " channels"
                        + (s.effectiveCapacity() < s.maxChannels() ? " (the port range holds fewer than max.channels)" : ""),
                "allocated         2",
                "destroyed         1: requested 1, expired 0, revoked 0, shutdown 0, fault 0",
                "denied            1: policy 0, capacity 0, ports exhausted 0, draining 1, resources 0",
                "invalid requests  0",
                "forwarded         0 datagrams, 0 B",
                "dropped           0: not latched 0, foreign source 0, loop 0, send buffer full 0, send error 0,"
                        + " unexpected peer 0, scan guard 0, rate limited 0",
                "ports             " + Units.count(s.portsFree()) + " free of " + Units.count(s.portsTotal()),
                "I/O loop faults   0",
                "listener drops    0",
                "drain mode        off"), lines.subList(1, 13));
        assertTrue(s.portsFree() < s.portsTotal(), "the live channel holds ports");
    }

    @Test
    void policiesListsTheBoundPoliciesInEvaluationOrder() {
        assertEquals("No policies: every well-formed request is allowed, within capacity and drain mode.\n",
                shell.run("relay:policies").out());
        DomainBan low = new DomainBan("low.example");
        DomainBan high = new DomainBan("high.example");
        shell.commands().bindPolicy(low, Map.of("service.id", 11L, "service.ranking", -1));
        shell.commands().bindPolicy(high, Map.of("service.id", 12L, "service.ranking", 10));
        assertEquals("""
                RANKING  NAME  SERVICE  CONFIGURATION
                     10  ban        12  refuses high.example
                     -1  ban        11  refuses low.example
                2 policies, asked in this order
                """, shell.run("relay:policies").out());

        shell.commands().unbindPolicy(high, Map.of("service.id", 12L, "service.ranking", 10));
        assertTrue(shell.run("relay:policies").out().endsWith("\n1 policy, asked in this order\n"));
    }

    @Test
    void aPolicyThatFailsToDescribeItselfDoesNotBreakTheListing() {
        DomainBan broken = new DomainBan("x.example") {
            @Override
            public String describe() {
                throw new IllegalStateException("boom");
            }
        };
        shell.commands().bindPolicy(broken, Map.of("service.id", 3L));
        Transcript t = shell.run("relay:policies");
        assertMatches("(?m)^\\s+0  ban\\s+3  \\(describe\\(\\) failed: java.lang.IllegalStateException: boom\\)$", t.out());
        assertEquals("", t.err());
    }

    @Test
    void resultsAreValuesThatVariablesAndScriptsCanUse() {
        Transcript t = shell.run(
                "a = relay:allocate alice@example.com",
                "echo ($a localport) ($a remoteport) ($a expire)",
                "(relay:channels) size");
        RelayChannel c = core.channels().get(0);
        assertEquals("", t.err());
        List<String> lines = t.out().lines().toList();
        assertTrue(lines.contains(c.portA() + " " + c.portB() + " 60"), t.out());
        assertEquals("1", lines.get(lines.size() - 1), t.out());
    }

    @Test
    void resultsPipedToGrepArePrintedAsText() throws Exception {
        RelayChannel alice = allocate("alice@example.com");
        RelayChannel bob = allocate("bob@example.com");
        // grep prints the matching lines of the table, then the console prints grep's result: true
        String out = shell.run("relay:channels | grep alice@").out();
        assertEquals(List.of(alice.id() + "  alice@example.com"), out.lines()
                .filter(l -> !l.equals("true")).map(l -> l.substring(0, alice.id().length() + 19)).toList(), out);
        assertFalse(out.contains(bob.id()), out);
    }

    @Test
    void eachDestroysTheChannelsOfAUser() {
        allocate("bob@example.com");
        allocate("bob@example.com");
        RelayChannel alice = allocate("alice@example.com");
        Transcript t = shell.run("each (relay:channels bob@example.com) { relay:destroy ($it id) }");
        assertEquals("", t.err());
        assertEquals(2, t.out().lines().filter(l -> l.startsWith("Destroyed channel ")).count(), t.out());
        assertEquals(List.of(alice.id()), core.channels().stream().map(RelayChannel::id).toList());
    }

    private RelayChannel allocate(String user) {
        try {
            return core.allocate(ChannelRequest.of(user));
        } catch (RelayDeniedException e) {
            throw new AssertionError(e);
        }
    }

    private void awaitCounters(String id, long aToB, long droppedA, long bToA) throws InterruptedException {
        assertTrue(RelayCore25.eventually(() -> core.channel(id).map(c -> c.aToB().packets() == aToB
                && c.aToB().droppedTotal() == droppedA && c.bToA().packets() == bToA).orElse(false)),
                () -> "counters never reached " + aToB + "/" + droppedA + "/" + bToA + ": " + core.channel(id));
    }

    private void assertUnchanged(RelayStats before, RelayChannel only) {
        RelayStats after = core.stats();
        assertEquals(List.of(only.id()), core.channels().stream().map(RelayChannel::id).toList());
        assertEquals(before.allocated(), after.allocated());
        assertEquals(before.destroyed(), after.destroyed());
        assertEquals(before.denied(), after.denied());
        assertEquals(before.portsFree(), after.portsFree());
        assertFalse(after.draining());
    }

    private static void assertMatches(String regex, String text) {
        assertTrue(Pattern.compile(regex).matcher(text).find(), () -> "no match for /" + regex + "/ in:\n" + text);
    }
}
