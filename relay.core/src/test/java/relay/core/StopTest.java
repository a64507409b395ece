package relay.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import relay.api.ChannelRequest;
import relay.api.DestroyReason;
import relay.api.RelayChannel;
import relay.api.spi.ChannelListener;
import relay.testing.UdpPeer;

class StopTest {

    @Test
    void stoppingLeavesNoSocketNoThreadAndTellsListenersShutdown() throws Exception {
        int fdsBefore = openFiles();
        RelayCore core = Relays.start(Relays.config(22100, 22199, "io.threads", 3));
        Map<String, DestroyReason> ends = new ConcurrentHashMap<>();
        core.bindListener(new ChannelListener() {
            @Override
            public void destroyed(RelayChannel c, DestroyReason reason, Duration d) {
                ends.put(c.id(), reason);
            }
        });
        List<Thread> io = core.ioThreads();
        assertEquals(3, io.size());
        RelayChannel busy = core.allocate(ChannelRequest.of("alice@example.com"));
        for (int i = 0; i < 9; i++) {
            core.allocate(ChannelRequest.of("u" + i + "@example.com"));
        }
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            ForwardingTest.latch(a, busy.portA(), b, busy.portB());
        }
        assertTrue(openFiles() >= fdsBefore + 40, "10 channels hold 40 sockets");

        core.deactivate();

        assertEquals(10, ends.size(), "every channel ended");
        assertTrue(ends.values().stream().allMatch(r -> r == DestroyReason.SHUTDOWN));
        for (Thread t : io) {
            assertFalse(t.isAlive(), t.getName() + " survived");
        }
        assertTrue(Relays.eventually(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("relay-"))), "no relay thread survives");
        assertTrue(Relays.eventually(() -> openFiles() <= fdsBefore), "every socket closed");
        for (int p = 22100; p <= 22119; p++) { // the ports can be bound again
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
                assertEquals(p, s.getLocalPort());
            }
        }
        assertThrows(IllegalStateException.class, () -> core.allocate(ChannelRequest.of("late@example.com")));
    }

    private static int openFiles() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
