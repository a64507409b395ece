package relay.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Before;
import org.junit.Test;

import relay.api.ChannelRequest;
import relay.api.RelayChannel;
import relay.api.RelayService;
import relay.api.RelayStats;
import relay.testing.Poll;
import relay.testing.UdpPeer;

/**
 * Scenario 6: ten thousand channels allocated and destroyed one after another leave nothing
 * behind: the JVM's file descriptors and threads return to their level before the loop, and the
 * heap after garbage collection does not grow beyond noise.
 */
public class LeakIT extends ContainerTest {

    private static final int CHANNELS = 10_000;
    private static final int WARM_UP = 500;
    /** Every this many channels, one gets a datagram, so latching state is exercised too. */
    private static final int LATCH_EVERY = 50;
    /** Noise allowed: a descriptor the JVM opens lazily (a jar, an entropy source), a pool thread. */
    private static final int FD_MARGIN = 4;
    private static final int THREAD_MARGIN = 2;
    /** Ten thousand leaked channels would hold several MiB; collection noise is far below that. */
    private static final long HEAP_MARGIN_BYTES = 2L * 1024 * 1024;

    private RelayService relay;

    @Before
    public void startRelay() {
        relay = TestRelay.start(context);
    }

    @Test
    public void tenThousandChannelsLeaveNoDescriptorThreadOrHeapBehind() throws Exception {
        try (UdpPeer peer = new UdpPeer()) {
            cycle(peer, WARM_UP); // classes loaded, queues and buffers at their working size
            JvmResources before = JvmResources.measure();
            long allocatedBefore = relay.stats().allocated();

            cycle(peer, CHANNELS);

            RelayStats stats = relay.stats();
            assertEquals(0, stats.liveChannels());
            assertEquals(allocatedBefore + CHANNELS, stats.allocated());
            assertEquals("every port back in the pool", stats.portsTotal(), stats.portsFree());
            // a closed socket's descriptor is released when its selector next runs: poll, don't sleep
            Poll.until(() -> "file descriptors and threads back to " + before + ", now " + JvmResources.count(), () -> {
                JvmResources now = JvmResources.count();
                return now.fileDescriptors() <= before.fileDescriptors() + FD_MARGIN
                        && now.threads() <= before.threads() + THREAD_MARGIN;
            });
            JvmResources after = JvmResources.measure();
            assertTrue("heap after GC grew from " + before + " to " + after,
                    after.heapBytes() <= before.heapBytes() + HEAP_MARGIN_BYTES);
            System.out.println("LeakIT: " + CHANNELS + " channels; before " + before + "; after " + after);
        }
    }

    /** Allocates and destroys {@code count} channels one after another, for 100 users in turn. */
    private void cycle(UdpPeer peer, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            RelayChannel channel = relay.allocate(ChannelRequest.of("user" + (i % 100) + "@example.com"));
            if (i % LATCH_EVERY == 0) {
                peer.send(channel.portA(), "latch " + i);
            }
            if (relay.destroy(channel.id()).isEmpty()) {
                throw new AssertionError("channel " + channel.id() + " vanished before it was destroyed");
            }
        }
    }
}
