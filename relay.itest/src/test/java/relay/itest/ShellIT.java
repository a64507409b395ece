package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Option;

import relay.api.BareJid;
import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.api.RelayStats;
import relay.itest.GogoSession.Transcript;

/**
 * Scenario 5: each relay: command of relay.shell run through a session of the Felix Gogo
 * runtime's command processor, its output checked against what the relay itself reports.
 */
public class ShellIT extends ContainerTest {

    private static final BareJid ALICE = BareJid.parse("alice@example.com");

    private RelayService relay;
    private RelayBundles bundles;
    private GogoSession shell;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {gogo()};
    }

    @Before
    public void startRelayAndShell() {
        relay = TestRelay.start(context);
        bundles = new RelayBundles(context);
        bundles.start(RelayBundles.SHELL);
        shell = new GogoSession(context);
    }

    @After
    public void cleanUp() {
        shell.close();
        relay.drain(false);
        TestRelay.destroyAll(relay);
        bundles.uninstall(RelayBundles.WHITELIST);
        bundles.uninstall(RelayBundles.QUOTA);
        Configs configs = new Configs(context);
        configs.delete("relay.policy.whitelist");
        configs.delete("relay.policy.quota");
    }

    @Test
    public void allocatePrintsWhatAJingleNodesClientNeeds() {
        Transcript t = ok("relay:allocate alice@example.com/phone");
        RelayChannel c = only(relay.channels(ALICE));
        List<String> lines = t.out().lines().toList();
        assertEquals("Allocated channel " + c.id() + " for alice@example.com", lines.get(0));
        assertLine(t.out(), "host\\s+127\\.0\\.0\\.1");
        assertLine(t.out(), "localport\\s+" + c.portA() + "\\s.*side A.*");
        assertLine(t.out(), "remoteport\\s+" + c.portB() + "\\s.*side B.*");
        assertLine(t.out(), "rtcp ports\\s+" + (c.portA() + 1) + " and " + (c.portB() + 1));
        assertLine(t.out(), "id\\s+" + Pattern.quote(c.id()));
    }

    @Test
    public void channelsAndChannelShowLiveChannelsWithTheirTraffic() throws Exception {
        ok("relay:allocate alice@example.com");
        RelayChannel c = only(relay.channels(ALICE));
        try (ChannelPeers peers = new ChannelPeers(c)) {
            peers.latch(relay).assertForwardsBothWays();

            Transcript all = ok("relay:channels");
            List<String> lines = all.out().lines().toList();
            assertTrue(lines.get(0), lines.get(0).startsWith("ID "));
            assertTrue(lines.get(1), lines.get(1).startsWith(c.id() + "  alice@example.com  active  127.0.0.1:" + c.portA()
                    + "<->" + c.portB() + "  127.0.0.1:"));
            assertEquals("1 channel", lines.get(lines.size() - 1));
            assertEquals("1 channel of alice@example.com", last(ok("relay:channels alice@example.com").out()));
            assertEquals("No channels of bob@example.com.", last(ok("relay:channels bob@example.com").out()));

            Transcript one = ok("relay:channel " + c.id());
            assertLine(one.out(), "id\\s+" + Pattern.quote(c.id()));
            assertLine(one.out(), "owner\\s+alice@example\\.com");
            assertLine(one.out(), "state\\s+active");
            assertLine(one.out(), "A\\s+" + c.portA() + "\\s+" + (c.portA() + 1) + "\\s+127\\.0\\.0\\.1:\\d+\\s+-");
            assertLine(one.out(), "B\\s+" + c.portB() + "\\s+" + (c.portB() + 1) + "\\s+127\\.0\\.0\\.1:\\d+\\s+-");
            // one datagram A->B (A's latching one was dropped), two B->A
            assertLine(one.out(), "A->B\\s+1\\s+.*\\s+1\\s+not latched 1");
            assertLine(one.out(), "B->A\\s+2\\s+.*\\s+0\\s+-");
        }
    }

    @Test
    public void statsShowsTheRelaysOwnTotals() throws Exception {
        ok("relay:allocate alice@example.com");
        Transcript t = ok("relay:stats");
        RelayStats s = relay.stats();
        assertLine(t.out(), "live channels\\s+1 \\(max 10,000\\)");
        assertLine(t.out(), "allocated\\s+" + String.format("%,d", s.allocated()));
        assertLine(t.out(), "ports\\s+" + String.format("%,d free of %,d", s.portsFree(), s.portsTotal()));
        assertEquals("the suite's port range", TestRelay.PORT_MAX - TestRelay.PORT_MIN + 1, s.portsTotal());
        assertLine(t.out(), "drain mode\\s+off");
    }

    @Test
    public void destroyEndsTheChannelAndSaysWhatItForwarded() throws Exception {
        ok("relay:allocate alice@example.com");
        RelayChannel c = only(relay.channels(ALICE));
        try (ChannelPeers peers = new ChannelPeers(c)) {
            peers.latch(relay).assertForwardsBothWays();
        }
        Transcript t = ok("relay:destroy " + c.id());
        assertLine(t.out(), "Destroyed channel " + Pattern.quote(c.id()) + " of alice@example\\.com after \\d+s: 3 datagrams, \\d+ B forwarded\\.");
        assertFalse(relay.channel(c.id()).isPresent());
        assertEquals("No channels.", last(ok("relay:channels").out()));
    }

    @Test
    public void drainOnRefusesNewChannelsAndOffAllowsThemAgain() {
        ok("relay:allocate alice@example.com");
        assertEquals("Drain mode is on: no new channels; 1 live channel runs to the end.", last(ok("relay:drain on").out()));
        assertTrue(relay.draining());
        assertEquals("Drain mode is on: no new channels; 1 live channel runs to the end.", last(ok("relay:drain").out()));

        Transcript refused = shell.run("relay:allocate bob@example.com");
        assertNull(refused.result());
        assertTrue(refused.err(), refused.err().startsWith("Denied (draining)"));
        assertTrue(refused.err(), refused.err().endsWith("Nothing was allocated.\n"));
        assertEquals(List.of(), relay.channels(BareJid.parse("bob@example.com")));

        assertEquals("Drain mode is off: new channels are allowed.", last(ok("relay:drain off").out()));
        assertFalse(relay.draining());
        ok("relay:allocate bob@example.com");
        assertEquals(1, relay.channels(BareJid.parse("bob@example.com")).size());
    }

    @Test
    public void policiesListsThePolicyBundlesAsTheyComeAndGo() {
        assertEquals("No policies: every well-formed request is allowed, within capacity and drain mode.",
                last(ok("relay:policies").out()));

        Configs configs = new Configs(context);
        configs.put("relay.policy.quota", Map.of("max.channels.per.user", 3));
        configs.put("relay.policy.whitelist", Map.of("domains", "example.com"));
        bundles.start(RelayBundles.QUOTA);
        bundles.start(RelayBundles.WHITELIST);
        Transcript two = ok("relay:policies");
        assertLine(two.out(), "\\s*0\\s+quota\\s+\\d+\\s+channels per user: 3.*");
        assertLine(two.out(), "\\s*0\\s+whitelist\\s+\\d+\\s+1 domain: example\\.com.*");
        assertEquals("2 policies, asked in this order", last(two.out()));

        Transcript denied = shell.run("relay:allocate mallory@foreign.test");
        assertTrue(denied.err(), denied.err().startsWith("Denied by policy whitelist: "));

        bundles.uninstall(RelayBundles.WHITELIST);
        assertEquals("1 policy, asked in this order", last(ok("relay:policies").out()));
    }

    @Test
    public void badInputGetsOneLineOnTheErrorStreamAndChangesNothing() {
        assertRefused("relay:destroy nosuch", "No channel with id 'nosuch'.");
        assertRefused("relay:channel nosuch", "No channel with id 'nosuch'.");
        assertRefused("relay:drain maybe", "relay:drain takes 'on' or 'off', not 'maybe'.");
        Transcript badJid = shell.run("relay:allocate alice@@example.com");
        assertNull(badJid.result());
        assertTrue(badJid.err(), badJid.err().startsWith("Invalid JID 'alice@@example.com'"));
        assertEquals(List.of(), relay.channels());
        assertFalse(relay.draining());
    }

    private Transcript ok(String line) {
        Transcript t = shell.run(line);
        assertEquals("nothing on the error stream for '" + line + "'", "", t.err());
        return t;
    }

    private void assertRefused(String line, String message) {
        Transcript t = shell.run(line);
        assertNull(line, t.result());
        assertEquals(line, "", t.out());
        assertEquals(line, message + "\n", t.err());
    }

    private static void assertLine(String text, String regex) {
        Pattern p = Pattern.compile(regex);
        assertTrue("a line matching " + regex + " in:\n" + text, text.lines().anyMatch(l -> p.matcher(l).matches()));
    }

    private static String last(String text) {
        List<String> lines = text.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static RelayChannel only(List<RelayChannel> channels) {
        assertEquals(channels.toString(), 1, channels.size());
        return channels.get(0);
    }
}
