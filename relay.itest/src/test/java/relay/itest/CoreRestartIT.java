package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Bundle;

import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.itest.ChannelEvents.Kind;
import relay.testing.Poll;
import relay.testing.UdpPeer;

/**
 * Scenario 4: the core bundle updated or stopped and started under live channels. The channels
 * end with reason SHUTDOWN (a listener service hears it), their ports are free for anyone to
 * bind, no relay thread survives, and the restarted relay serves new channels.
 */
public class CoreRestartIT extends ContainerTest {

    private RelayBundles bundles;
    private ChannelEvents events;
    private final List<ChannelPeers> peers = new ArrayList<>();

    @Before
    public void startRelay() {
        TestRelay.start(context);
        bundles = new RelayBundles(context);
        events = ChannelEvents.register(context);
    }

    @After
    public void cleanUp() {
        peers.forEach(ChannelPeers::close);
        events.close();
        TestRelay.destroyAll(TestRelay.start(context));
    }

    @Test
    public void updatingTheCoreShutsLiveChannelsFreesTheirPortsAndThreadsAndServesNewOnes() throws Exception {
        RelayService before = TestRelay.start(context);
        long serviceBefore = Services.id(context, RelayService.class);
        List<RelayChannel> live = liveChannels(before, 3);
        List<Thread> threadsBefore = RelayThreads.alive();
        assertFalse("the relay runs threads named relay-*", threadsBefore.isEmpty());

        bundles.find(RelayBundles.CORE).orElseThrow().update();

        assertShutDown(live);
        Poll.until(() -> "the old relay threads to end: " + RelayThreads.names(threadsBefore.stream().filter(Thread::isAlive).toList()),
                () -> threadsBefore.stream().noneMatch(Thread::isAlive));
        assertPortsFree(live);

        RelayService after = TestRelay.start(context);
        assertNotEquals("a new relay service after the update", serviceBefore, Services.id(context, RelayService.class));
        assertServes(after);
    }

    @Test
    public void stoppingTheCoreShutsLiveChannelsAndLeavesNothingRunningAndStartingItServesNewOnes() throws Exception {
        List<RelayChannel> live = liveChannels(TestRelay.start(context), 3);

        Bundle core = bundles.find(RelayBundles.CORE).orElseThrow();
        core.stop();

        assertShutDown(live);
        assertFalse("no RelayService while the core is stopped", Services.present(context, RelayService.class));
        Poll.until(() -> "every relay thread to end: " + RelayThreads.names(RelayThreads.alive()),
                () -> RelayThreads.alive().isEmpty());
        assertPortsFree(live);

        core.start();
        assertServes(TestRelay.start(context));
    }

    /** Channels of three users, each latched and forwarding. */
    private List<RelayChannel> liveChannels(RelayService relay, int count) throws Exception {
        List<RelayChannel> live = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RelayChannel channel = relay.allocate(ChannelRequest.of("user" + i + "@example.com"));
            ChannelPeers pair = new ChannelPeers(channel);
            peers.add(pair);
            pair.latch(relay).assertForwardsBothWays();
            assertFalse("the relay holds port " + channel.portA() + " while the channel lives", bindable(channel.portA()));
            live.add(channel);
        }
        return live;
    }

    private void assertShutDown(List<RelayChannel> live) {
        for (RelayChannel c : live) {
            events.await(Kind.DESTROYED, c.id(), DestroyReason.SHUTDOWN);
        }
    }

    /** Every RTP and RTCP port of the channels can be bound by someone else now. */
    private static void assertPortsFree(List<RelayChannel> live) {
        for (RelayChannel c : live) {
            for (int port : new int[] {c.portA(), c.sideA().rtcpPort(), c.portB(), c.sideB().rtcpPort()}) {
                Poll.until(() -> "port " + port + " of channel " + c.id() + " to be free", () -> bindable(port));
            }
        }
    }

    private static boolean bindable(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(UdpPeer.LOOPBACK, port))) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** The restarted relay allocates, forwards and tells the listener service, which it bound anew. */
    private void assertServes(RelayService relay) throws Exception {
        RelayChannel fresh = relay.allocate(ChannelRequest.of("after@example.com"));
        ChannelPeers pair = new ChannelPeers(fresh);
        peers.add(pair);
        pair.latch(relay).assertForwardsBothWays();
        events.await(Kind.CREATED, fresh.id(), null);
        assertEquals(1, relay.channels().size());
        assertTrue(TestRelay.inRange(fresh.portA()));
    }
}
