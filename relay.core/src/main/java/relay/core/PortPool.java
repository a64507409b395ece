package relay.core;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import relay.api.Addresses;

/**
 * The ports the relay may use, handed out as <em>units</em>: an even RTP port and the RTCP port
 * above it, or a single port when RTCP is off. Free units wait in a shuffled queue; a freed unit
 * goes to the back, so a port is reused as late as possible (a late datagram of an old call
 * never reaches a new one). A port another process holds is skipped and tried again later.
 *
 * <p>Owned by the conductor: only its thread takes, releases and reconfigures. Other threads
 * read the published counts and {@link #isRelayPort}, both lock-free.
 */
final class PortPool {

    /**
     * Bound sockets of one unit of {@code width} ports; {@code rtcp} is null when the unit is a single port, or
     * when its parties multiplex RTCP on the RTP port (the RTCP port is then held unbound).
     */
    record Lease(PortPool pool, int port, int width, UdpSocket rtp, UdpSocket rtcp) {

        /** Conductor: the sockets are closed; the ports go back to the pool they came from. */
        void release() {
            pool.release(port, width);
        }

        void closeQuietly() {
            PortPool.closeQuietly(rtp);
            PortPool.closeQuietly(rtcp);
        }
    }

    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final BitSet queued = new BitSet(65536);
    private final BitSet inUse = new BitSet(65536);
    /** A lock-free copy of {@link #inUse} for the loop guard, read by I/O threads. */
    private final AtomicLongArray relayPorts = new AtomicLongArray(65536 / 64);
    private InetAddress bindAddress;
    private int min;
    private int max;
    private int width;
    /** Published for readers on other threads (stats). */
    private volatile int freePorts;
    private volatile int totalPorts;

    PortPool(InetAddress bindAddress, int min, int max, boolean rtcp) {
        configure(bindAddress, min, max, rtcp);
    }

    /**
     * Applies a new range or unit width to future leases. Ports in use stay in use; they join
     * the queue on release if they fit the new layout.
     */
    void configure(InetAddress bindAddress, int min, int max, boolean rtcp) {
        this.bindAddress = bindAddress;
        this.min = min;
        this.max = max;
        this.width = rtcp ? 2 : 1;
        free.clear();
        queued.clear();
        List<Integer> units = new ArrayList<>();
        for (int p = firstUnit(); p + width - 1 <= max; p += width) {
            if (unitIsIdle(p)) {
                units.add(p);
            }
        }
        Collections.shuffle(units);
        units.forEach(this::enqueue);
        int total = 0;
        for (int p = firstUnit(); p + width - 1 <= max; p += width) {
            total += width;
        }
        totalPorts = total;
        publish();
    }

    /**
     * Binds the next free unit.
     *
     * @param engine what makes the sockets
     * @param rtcpMux the parties send RTCP on the RTP port: the unit's RTCP port is held but not bound
     * @return the bound sockets, non-blocking
     * @throws PoolExhaustedException if no unit in the range can be bound
     */
    Lease take(IoEngine engine, boolean rtcpMux) throws PoolExhaustedException {
        int attempts = free.size();
        String lastFailure = null;
        for (int i = 0; i < attempts; i++) {
            int port = free.pollFirst();
            queued.clear(port);
            if (!fits(port) || !unitIsIdle(port)) {
                continue; // left over from an earlier layout
            }
            try {
                Lease lease = bind(engine, port, rtcpMux);
                mark(port, width, true);
                publish();
                return lease;
            } catch (BindException e) {
                lastFailure = "port " + port + ": " + e.getMessage();
                enqueue(port); // held by another process: try it again later
            } catch (IOException e) {
                enqueue(port);
                if (String.valueOf(e.getMessage()).contains("Too many open files")) {
                    throw new NoDescriptorsException("no file descriptors left: " + e.getMessage());
                }
                throw new PoolExhaustedException("cannot bind " + Addresses.host(bindAddress) + ":" + port + ": " + e.getMessage());
            }
        }
        throw new PoolExhaustedException("no free port" + (width == 2 ? " pair" : "") + " in " + min + ".." + max
                + (lastFailure == null ? "" : " (last bind failure: " + lastFailure + ")"));
    }

    /** Returns a unit's ports once its sockets are closed. */
    void release(int port, int unitWidth) {
        mark(port, unitWidth, false);
        for (int p = port; p < port + unitWidth; p++) {
            int unit = width == 2 ? p & ~1 : p;
            if (fits(unit) && unitIsIdle(unit) && !queued.get(unit)) {
                enqueue(unit);
            }
        }
        publish();
    }

    /** @return whether a port is held by a live channel (loop guard); lock-free */
    boolean isRelayPort(int port) {
        return (relayPorts.get(port >>> 6) & (1L << (port & 63))) != 0;
    }

    private void mark(int port, int count, boolean used) {
        for (int p = port; p < port + count; p++) {
            inUse.set(p, used);
            long bit = 1L << (p & 63);
            int word = p >>> 6;
            if (used) {
                relayPorts.getAndAccumulate(word, bit, (a, b) -> a | b);
            } else {
                relayPorts.getAndAccumulate(word, bit, (a, b) -> a & ~b);
            }
        }
    }

    /** Any thread. */
    int freePorts() {
        return freePorts;
    }

    /** Any thread. */
    int totalPorts() {
        return totalPorts;
    }

    /** Any thread: how many channels the range holds, two units each. */
    int channelCapacity() {
        return totalPorts / (2 * width);
    }

    private void publish() {
        freePorts = free.size() * width;
    }

    private int firstUnit() {
        return width == 2 ? min + (min & 1) : min;
    }

    private boolean fits(int unit) {
        return unit >= min && unit + width - 1 <= max && (width == 1 || (unit & 1) == 0);
    }

    private boolean unitIsIdle(int unit) {
        return inUse.nextSetBit(unit) < 0 || inUse.nextSetBit(unit) >= unit + width;
    }

    private void enqueue(int unit) {
        free.addLast(unit);
        queued.set(unit);
    }

    private Lease bind(IoEngine engine, int port, boolean rtcpMux) throws IOException {
        UdpSocket rtp = engine.open(bindAddress, port);
        if (width == 1 || rtcpMux) {
            return new Lease(this, port, width, rtp, null);
        }
        try {
            return new Lease(this, port, width, rtp, engine.open(bindAddress, port + 1));
        } catch (IOException e) {
            closeQuietly(rtp);
            throw e;
        }
    }

    static void closeQuietly(UdpSocket socket) {
        if (socket != null) {
            socket.close();
        }
    }

    /** No unit could be bound. */
    static class PoolExhaustedException extends Exception {
        private static final long serialVersionUID = 1L;

        PoolExhaustedException(String message) {
            super(message);
        }
    }

    /** The process has no file descriptor left for a socket: ports may be free, but cannot be bound. */
    static final class NoDescriptorsException extends PoolExhaustedException {
        private static final long serialVersionUID = 1L;

        NoDescriptorsException(String message) {
            super(message);
        }
    }
}
