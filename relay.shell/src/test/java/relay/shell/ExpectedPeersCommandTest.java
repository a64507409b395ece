package relay.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.ExpectedPeer;
import relay.api.RelayChannel;
import relay.api.Side;
import relay.core.RelayCore;
import relay.shell.GogoShell.Transcript;

/**
 * {@code relay:allocate <jid> [peerA] [peerB]} typed into a real Gogo console: what reaches the
 * relay, and what a malformed peer prints. Ports 25100-25199.
 */
class ExpectedPeersCommandTest {

    private RelayCore core;
    private RecordingRelay relay;
    private GogoShell shell;

    @BeforeEach
    void start() {
        core = RelayCore25.start(25100);
        relay = new RecordingRelay(core);
        shell = new GogoShell(relay);
    }

    @AfterEach
    void stop() {
        shell.close();
        core.deactivate();
    }

    private ChannelRequest onlyRequest() {
        assertEquals(1, relay.requests().size(), relay.requests().toString());
        return relay.requests().get(0);
    }

    private static Optional<String> peer(ChannelRequest r, Side side) {
        return r.expectedPeer(side).map(ExpectedPeer::toString);
    }

    @Test
    void bothPeersReachTheRelayAsParsed() {
        Transcript t = shell.run("relay:allocate alice@example.com 192.0.2.7:4000 2001:db8::1");
        assertEquals("", t.err());
        ChannelRequest r = onlyRequest();
        assertEquals(Optional.of("192.0.2.7:4000"), peer(r, Side.A));
        assertEquals(Optional.of(ExpectedPeer.parse("2001:db8::1")), r.expectedPeer(Side.B));
        assertEquals("shell", r.origin());
        assertEquals(1, core.channels().size());
        assertTrue(t.out().startsWith("Allocated channel "), t.out());
    }

    @Test
    void anIpv6PeerWithAPortIsQuotedForGogo() {
        Transcript t = shell.run("relay:allocate alice@example.com - '[2001:db8::1]:4000'");
        assertEquals("", t.err());
        ChannelRequest r = onlyRequest();
        assertEquals(Optional.empty(), peer(r, Side.A));
        assertEquals(Optional.of(ExpectedPeer.parse("[2001:db8::1]:4000")), r.expectedPeer(Side.B));
    }

    @Test
    void onePeerIsSideAs() {
        assertEquals("", shell.run("relay:allocate alice@example.com 192.0.2.7").err());
        ChannelRequest r = onlyRequest();
        assertEquals(Optional.of("192.0.2.7"), peer(r, Side.A));
        assertEquals(Optional.empty(), peer(r, Side.B));
    }

    @Test
    void withoutPeersTheRequestExpectsNobody() {
        assertEquals("", shell.run("relay:allocate alice@example.com").err());
        ChannelRequest r = onlyRequest();
        assertEquals(Optional.empty(), peer(r, Side.A));
        assertEquals(Optional.empty(), peer(r, Side.B));
    }

    @Test
    void aMalformedPeerPrintsOneClearLineAndAllocatesNothing() {
        Transcript t = shell.run(
                "relay:allocate alice@example.com 1.2.3",
                "relay:allocate alice@example.com 192.0.2.7 relay.example.com",
                "relay:allocate alice@example.com - 192.0.2.7:70000",
                "relay:allocate alice@example.com '[2001:db8::1'");
        assertEquals("", t.out());
        assertEquals(List.of(
                "Invalid peer for side A: peer '1.2.3' is not an IP address (with an optional port). Nothing was allocated.",
                "Invalid peer for side B: peer 'relay.example.com' is not an IP address (with an optional port)."
                        + " Nothing was allocated.",
                "Invalid peer for side B: peer '192.0.2.7:70000': the port is not a number from 1 to 65535."
                        + " Nothing was allocated.",
                "Invalid peer for side A: peer '[2001:db8::1': ']' is missing. Nothing was allocated."),
                t.err().lines().toList());
        assertEquals(List.of(), relay.requests());
        assertEquals(0, core.channels().size());
        assertEquals(0, core.stats().allocated());
    }

    @Test
    void aMalformedJidIsReportedBeforeThePeers() {
        Transcript t = shell.run("relay:allocate alice@ 1.2.3");
        assertEquals("Invalid JID 'alice@': empty domainpart.\n", t.err());
        assertEquals(0, core.channels().size());
    }

    /**
     * End to end: the channel the core allocates shows its expected peers, and the allocation
     * report names them. Skipped (not failed) while the core does not yet fill
     * {@code ChannelSide.expectedPeer()}; it must run, and pass, once it does.
     */
    @Test
    @Tag("core-expected-peers")
    void theAllocationReportShowsTheExpectedPeersOnceTheCoreKeepsThem() {
        Transcript t = shell.run("relay:allocate alice@example.com 192.0.2.7:4000 -");
        assertEquals("", t.err());
        RelayChannel c = core.channels().get(0);
        assertEquals("192.0.2.7:4000", c.sideA().expectedPeer().toString());
        assertEquals(null, c.sideB().expectedPeer());
        assertTrue(t.out().contains("\nexpect A    192.0.2.7:4000  (side A latches onto this source only)\n"), t.out());
        assertTrue(shell.run("relay:channel " + c.id()).out().contains("\nexpect A  192.0.2.7:4000\n"));
    }
}
