package relay.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    private static ByteBuffer packet(int size, long seq, RtpPacket.Phase phase, long sent) {
        ByteBuffer b = ByteBuffer.allocate(size);
        RtpPacket.prepare(b, size);
        RtpPacket.write(b, size, 0x01020304, seq, 77, 5, 1, phase, 9, sent);
        return b;
    }

    @Test
    void headerIsRtpVersion2Pcmu() {
        ByteBuffer b = packet(172, 3, RtpPacket.Phase.MEASURE, 1234);
        assertEquals(0x80, b.get(0) & 0xFF, "V=2, no padding, no extension, no CSRC");
        assertEquals(0, RtpPacket.payloadType(b));
        assertFalse(RtpPacket.marker(b));
        assertEquals(3, RtpPacket.rtpSequence(b));
        assertEquals(3 * 160, RtpPacket.rtpTimestamp(b));
        assertEquals(0x01020304, RtpPacket.ssrc(b));
        assertEquals(0, b.position());
        assertEquals(172, b.limit(), "ready to send the whole datagram");
    }

    @Test
    void markerOnTheFirstPacketOnly() {
        assertTrue(RtpPacket.marker(packet(172, 0, RtpPacket.Phase.LATCH, 0)));
        assertFalse(RtpPacket.marker(packet(172, 1, RtpPacket.Phase.LATCH, 0)));
    }

    @Test
    void sequenceAndTimestampWrapLikeRtp() {
        ByteBuffer b = packet(172, 65_536 + 7, RtpPacket.Phase.MEASURE, 0);
        assertEquals(7, RtpPacket.rtpSequence(b));
        assertEquals(65_536 + 7, RtpPacket.sequence(b), "the probe keeps the full 64-bit sequence");
        long big = (1L << 32) / 160 + 1;
        assertEquals((int) (big * 160), RtpPacket.rtpTimestamp(packet(172, big, RtpPacket.Phase.MEASURE, 0)));
    }

    @Test
    void probeRoundTrips() {
        ByteBuffer b = packet(200, 42, RtpPacket.Phase.MEASURE, 987_654_321_012L);
        assertTrue(RtpPacket.isProbe(b, 200, 77));
        assertEquals(5, RtpPacket.flow(b));
        assertEquals(1, RtpPacket.direction(b));
        assertEquals(RtpPacket.Phase.MEASURE.code, RtpPacket.phase(b));
        assertEquals(9, RtpPacket.window(b));
        assertEquals(42, RtpPacket.sequence(b));
        assertEquals(987_654_321_012L, RtpPacket.sentNanos(b));
        assertEquals((byte) 0xFF, b.get(199), "padding is mu-law silence");
        assertEquals((byte) 0xFF, b.get(RtpPacket.MIN_SIZE));
    }

    @Test
    void foreignOrShortDatagramsAreNoProbes() {
        ByteBuffer b = packet(172, 1, RtpPacket.Phase.MEASURE, 0);
        assertFalse(RtpPacket.isProbe(b, 172, 78), "another run");
        assertFalse(RtpPacket.isProbe(b, RtpPacket.MIN_SIZE - 1, 77), "truncated");
        b.putInt(RtpPacket.HEADER, 0);
        assertFalse(RtpPacket.isProbe(b, 172, 77), "no magic");
        ByteBuffer v1 = packet(172, 1, RtpPacket.Phase.MEASURE, 0);
        v1.put(0, (byte) 0x40);
        assertFalse(RtpPacket.isProbe(v1, 172, 77), "not RTP version 2");
    }

    @Test
    void sizesOutsideTheFormatAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.prepare(ByteBuffer.allocate(100), 43));
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.prepare(ByteBuffer.allocate(9000), 8193));
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.prepare(ByteBuffer.allocate(100), 172));
    }

    @Test
    void everyStreamHasItsOwnSsrc() {
        Set<Integer> seen = new HashSet<>();
        for (int flow = 0; flow < 5000; flow++) {
            for (int dir = 0; dir < 2; dir++) {
                seen.add(RtpPacket.ssrcOf(12345, flow, dir));
            }
        }
        assertEquals(10_000, seen.size());
        assertEquals(RtpPacket.ssrcOf(1, 2, 0), RtpPacket.ssrcOf(1, 2, 0), "stable");
        assertNotEquals(RtpPacket.ssrcOf(1, 2, 0), RtpPacket.ssrcOf(2, 2, 0), "another run, other SSRCs");
    }
}
