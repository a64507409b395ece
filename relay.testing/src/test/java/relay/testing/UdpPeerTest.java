package relay.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

class UdpPeerTest {

    @Test
    void twoPeersTalkOnLoopback() throws Exception {
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            a.send(b.port(), new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, b.receive(2000));
            b.send(a.port(), "hello");
            DatagramPacket p = a.receivePacket(2000);
            assertEquals("hello", UdpPeer.text(p));
            assertEquals(b.address(), p.getSocketAddress());
            assertTrue(a.address().getAddress().isLoopbackAddress());
        }
    }

    @Test
    void silenceIsNullOrATimeout() throws Exception {
        try (UdpPeer a = new UdpPeer()) {
            assertNull(a.receive(50));
            assertThrows(SocketTimeoutException.class, () -> a.receivePacket(50));
        }
    }
}
