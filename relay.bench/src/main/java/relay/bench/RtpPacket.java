package relay.bench;

import java.nio.ByteBuffer;

/**
 * The datagrams the bench sends: a 12-byte RTP header (V=2, PT 0, marker on a stream's first
 * packet, sequence +1 and timestamp +160 per packet, SSRC per stream) followed by a payload
 * that starts with a fixed 32-byte probe and is padded with 0xFF (mu-law silence).
 *
 * <p>Probe layout (big-endian, offsets from the start of the payload): magic (4), run id (4),
 * flow (4), direction (1), phase (1), window (2), stream sequence (8), send time in
 * {@link System#nanoTime()} (8). The probe lets the receiver check that a packet came back on
 * the right socket and measure the one-way latency (sender and receiver share one clock).
 *
 * <p>Reading and writing work on absolute positions of a reused buffer: nothing is allocated
 * per packet.
 */
final class RtpPacket {

    static final int HEADER = 12;
    static final int PROBE = 32;
    /** Smallest datagram that holds the header and the probe. */
    static final int MIN_SIZE = HEADER + PROBE;
    /** 12-byte header plus one 20 ms G.711 frame. */
    static final int DEFAULT_SIZE = HEADER + 160;
    static final int MAX_SIZE = 8192;
    static final int MAGIC = 0x52454C59; // "RELY"
    /** RTP timestamp units per packet: 20 ms at 8 kHz. */
    static final int TIMESTAMP_STEP = 160;

    private static final int P_MAGIC = HEADER;
    private static final int P_RUN = HEADER + 4;
    private static final int P_FLOW = HEADER + 8;
    private static final int P_DIRECTION = HEADER + 12;
    private static final int P_PHASE = HEADER + 13;
    private static final int P_WINDOW = HEADER + 14;
    private static final int P_SEQUENCE = HEADER + 16;
    private static final int P_SENT = HEADER + 24;

    private RtpPacket() {
    }

    /** Fills {@code buf} (from 0 to {@code size}) with the constant parts: padding and version. */
    static void prepare(ByteBuffer buf, int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("packet size must be " + MIN_SIZE + ".." + MAX_SIZE + ", not " + size);
        }
        if (buf.capacity() < size) {
            throw new IllegalArgumentException("buffer of " + buf.capacity() + " bytes cannot hold " + size);
        }
        for (int i = 0; i < size; i++) {
            buf.put(i, (byte) 0xFF);
        }
        buf.clear().limit(size);
    }

    /**
     * Writes the variable fields of the next packet of a stream into a buffer made by
     * {@link #prepare}; the buffer's position and limit are left ready to send.
     */
    static void write(ByteBuffer buf, int size, int ssrc, long sequence, int runId, int flow, int direction,
            Phase phase, int window, long sentNanos) {
        buf.put(0, (byte) 0x80);                                  // V=2, no padding, extension or CSRC
        buf.put(1, (byte) (sequence == 0 ? 0x80 : 0x00));         // marker on the first packet, PT 0 (PCMU)
        buf.putShort(2, (short) sequence);                        // 16-bit RTP sequence wraps
        buf.putInt(4, (int) (sequence * TIMESTAMP_STEP));
        buf.putInt(8, ssrc);
        buf.putInt(P_MAGIC, MAGIC);
        buf.putInt(P_RUN, runId);
        buf.putInt(P_FLOW, flow);
        buf.put(P_DIRECTION, (byte) direction);
        buf.put(P_PHASE, phase.code);
        buf.putShort(P_WINDOW, (short) window);
        buf.putLong(P_SEQUENCE, sequence);
        buf.putLong(P_SENT, sentNanos);
        buf.clear().limit(size);
    }

    /** True if the first {@code length} bytes of {@code buf} are a probe packet of run {@code runId}. */
    static boolean isProbe(ByteBuffer buf, int length, int runId) {
        return length >= MIN_SIZE && (buf.get(0) & 0xC0) == 0x80
                && buf.getInt(P_MAGIC) == MAGIC && buf.getInt(P_RUN) == runId;
    }

    static int ssrc(ByteBuffer buf) {
        return buf.getInt(8);
    }

    static int rtpSequence(ByteBuffer buf) {
        return buf.getShort(2) & 0xFFFF;
    }

    static int rtpTimestamp(ByteBuffer buf) {
        return buf.getInt(4);
    }

    static boolean marker(ByteBuffer buf) {
        return (buf.get(1) & 0x80) != 0;
    }

    static int payloadType(ByteBuffer buf) {
        return buf.get(1) & 0x7F;
    }

    static int flow(ByteBuffer buf) {
        return buf.getInt(P_FLOW);
    }

    static int direction(ByteBuffer buf) {
        return buf.get(P_DIRECTION);
    }

    static byte phase(ByteBuffer buf) {
        return buf.get(P_PHASE);
    }

    static int window(ByteBuffer buf) {
        return buf.getShort(P_WINDOW) & 0xFFFF;
    }

    static long sequence(ByteBuffer buf) {
        return buf.getLong(P_SEQUENCE);
    }

    static long sentNanos(ByteBuffer buf) {
        return buf.getLong(P_SENT);
    }

    /** A stable, well-spread SSRC for one direction of one flow of a run. */
    static int ssrcOf(int runId, int flow, int direction) {
        long x = ((long) runId << 32) ^ ((long) flow << 1) ^ direction;
        x ^= x >>> 33;                      // murmur3 finaliser: neighbouring flows get unrelated SSRCs
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return (int) x;
    }

    /** What a packet was sent for; only {@link #MEASURE} packets of the current window are counted. */
    enum Phase {
        LATCH(1), WARMUP(2), MEASURE(3);

        final byte code;

        Phase(int code) {
            this.code = (byte) code;
        }
    }
}
