package relay.core;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.io.Serial;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

import relay.core.FfmPoller.Scratch;

/**
 * A {@link UdpSocket} that is a bare descriptor, for the {@code ffm} engine: it behaves as a non-blocking
 * {@code DatagramChannel} does, and an idle one is 40 bytes of heap.
 *
 * <p>What a call needs besides the descriptor (the sockaddr, the socklen, the captured errno, the direct
 * buffer's address) is in the scratch of the {@link FfmPoller} the socket is registered with, which belongs
 * to the loop thread, the only one that reads and writes a registered socket (before it is registered, a socket
 * can only be closed).
 *
 * <p>Addresses stay allocation-free while the peer stays the same: {@link #receive} returns the very
 * instance it returned last while the source is the same, and that instance ({@link Source}) carries its raw
 * form, so sending to it encodes nothing either.
 */
final class FfmSocket implements UdpSocket {

    private static final ValueLayout.OfShort NET_SHORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NET_INT = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong NET_LONG = JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN);
    /** ::ffff:0:0, the high half of an IPv4-mapped address's low 64 bits, as a {@link Source} keeps IPv4. */
    private static final long MAPPED = 0xFFFFL << 32;
    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;

    /** -1 once closed; volatile, as {@link #close} may come from any thread. */
    volatile int fd;
    /** The socket is AF_INET6 (dual stack), so sockaddrs are sockaddr_in6. */
    private final boolean ipv6;
    /** Where this socket's scratch is, once registered; set once, on the loop thread, under this socket's lock. */
    FfmPoller poller;
    /** Its slot in {@link #poller}. */
    int slot;
    /** The last source {@link #receive} returned: returned again while datagrams come from the same one. */
    private Source source;
    /** The connected peer, or null; the JDK checks a connected send's target against it. */
    private InetSocketAddress peer;
    /** The last target that had to be encoded from its bytes (an IPv6 one that is not a {@link Source}). */
    private Source target;

    FfmSocket(int fd, boolean ipv6) {
        this.fd = fd;
        this.ipv6 = ipv6;
    }

    @Override
    public InetSocketAddress receive(ByteBuffer buffer) throws IOException {
        return receive(buffer, scratch());
    }

    private InetSocketAddress receive(ByteBuffer buffer, Scratch s) throws IOException {
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        int position = buffer.position();
        long length = buffer.limit() - position;
        long address = s.base(buffer) + position;
        MemorySegment m = s.memory;
        for (;;) {
            int fd = open();
            m.set(JAVA_INT, Scratch.SOCKLEN, SOCKADDR_IN6_SIZE);
            long n = Libc.recvfrom(s.errno, fd, address, length, s.address + Scratch.SOCKADDR, s.address + Scratch.SOCKLEN);
            if (n >= 0) {
                buffer.position(position + (int) n);
                return source(m);
            }
            int errno = s.errno();
            switch (errno) {
                case Libc.EAGAIN:
                    return null;
                case Libc.EINTR:
                    continue;
                case Libc.ECONNREFUSED:
                    if (peer != null) {
                        throw portUnreachable();
                    }
                    continue; // as the JDK does; Linux reports ICMP errors to connected sockets only
                default:
                    throw failure(errno);
            }
        }
    }

    /** The source in the scratch's sockaddr: the last one returned if it is the same, else a new one. */
    private Source source(MemorySegment m) throws IOException {
        int family = m.get(JAVA_SHORT, Scratch.SOCKADDR);
        int port = m.get(NET_SHORT, Scratch.SOCKADDR + 2) & 0xFFFF;
        long hi;
        long lo;
        int scope;
        if (family == Libc.AF_INET) {
            hi = 0;
            lo = MAPPED | (m.get(NET_INT, Scratch.SOCKADDR + 4) & 0xFFFFFFFFL);
            scope = 0;
        } else if (family == Libc.AF_INET6) {
            hi = m.get(NET_LONG, Scratch.SOCKADDR + 8);
            lo = m.get(NET_LONG, Scratch.SOCKADDR + 16);
            scope = m.get(JAVA_INT, Scratch.SOCKADDR + 24);
        } else {
            throw new SocketException("Socket family not recognized");
        }
        Source last = source;
        if (last != null && last.lo == lo && last.hi == hi && last.port == port && last.scope == scope) {
            return last;
        }
        return source = Source.decode(hi, lo, scope, port);
    }

    @Override
    public int send(ByteBuffer buffer, InetSocketAddress target) throws IOException {
        if (peer != null) { // as the JDK: a connected socket sends to its peer only
            if (target != peer && !target.equals(peer)) {
                throw new AlreadyConnectedException();
            }
            return write(buffer);
        }
        return send(buffer, target, scratch());
    }

    private int send(ByteBuffer buffer, InetSocketAddress target, Scratch s) throws IOException {
        int position = buffer.position();
        int length = buffer.limit() - position;
        long address = s.base(buffer) + position;
        if (target.getPort() == 0) {
            throw new SocketException("Can't send to port 0");
        }
        int fd = open();
        int sockaddrLength = encode(s.memory, target);
        for (;;) {
            long n = Libc.sendto(s.errno, fd, address, length, s.address + Scratch.SOCKADDR, sockaddrLength);
            if (n >= 0) {
                buffer.position(position + (int) n);
                return (int) n;
            }
            int errno = s.errno();
            switch (errno) {
                case Libc.EAGAIN:
                    return 0;
                case Libc.EINTR:
                    continue;
                case Libc.ECONNREFUSED: // an earlier ICMP error; the JDK counts the datagram as sent
                    buffer.position(position + length);
                    return length;
                default:
                    throw failure(errno);
            }
        }
    }

    @Override
    public int write(ByteBuffer buffer) throws IOException {
        if (peer == null) {
            open();
            throw new NotYetConnectedException();
        }
        int position = buffer.position();
        int length = buffer.limit() - position;
        if (length == 0) { // as the JDK: nothing to send sends nothing
            open();
            return 0;
        }
        return write(buffer, position, length, scratch());
    }

    private int write(ByteBuffer buffer, int position, int length, Scratch s) throws IOException {
        long address = s.base(buffer) + position;
        for (;;) {
            int fd = open();
            long n = Libc.send(s.errno, fd, address, length);
            if (n >= 0) {
                buffer.position(position + (int) n);
                return (int) n;
            }
            int errno = s.errno();
            switch (errno) {
                case Libc.EAGAIN:
                    return 0;
                case Libc.EINTR:
                    continue;
                case Libc.ECONNREFUSED:
                    throw portUnreachable();
                default:
                    throw failure(errno);
            }
        }
    }

    /**
     * As the JDK's: connects, then discards what is already queued, since it may come from another source (the
     * kernel filters arriving datagrams only).
     */
    @Override
    public void connect(InetSocketAddress peer) throws IOException {
        checkAddress(peer);
        if (peer.getPort() == 0) {
            throw new SocketException("Can't connect to port 0");
        }
        connect(peer, scratch());
    }

    private void connect(InetSocketAddress peer, Scratch s) throws IOException {
        int fd = open();
        if (this.peer != null) {
            throw new AlreadyConnectedException();
        }
        int length = encode(s.memory, peer);
        if (Libc.connect(s.errno, fd, s.address + Scratch.SOCKADDR, length) < 0) {
            throw failure(s.errno());
        }
        this.peer = peer;
        for (;;) { // an empty read takes a datagram off the queue whole
            if (Libc.recvfrom(s.errno, fd, 0, 0, 0, 0) < 0) {
                int errno = s.errno();
                if (errno != Libc.EINTR && errno != Libc.ECONNREFUSED) {
                    return;
                }
            }
        }
    }

    @Override
    public boolean isConnected() {
        return peer != null && fd >= 0;
    }

    /**
     * Closes the descriptor at once, which also takes it out of its epoll set, and gives the slot back to the
     * poller (later, when closed on another thread than the poller's). Under the socket's lock, against a
     * concurrent {@link FfmPoller#register}.
     *
     * <p>A socket closed on another thread while its loop is inside a call on it may see its descriptor's
     * number reused by the next socket opened: as with any descriptor, close it on its loop's thread, or once
     * the loop has let go of it.
     */
    @Override
    public void close() {
        synchronized (this) {
            int fd = this.fd;
            if (fd < 0) {
                return;
            }
            this.fd = -1;
            Libc.close(fd);
            FfmPoller p = poller;
            if (p != null) {
                p.release(slot);
            }
        }
    }

    /** The port the socket is bound to (tests, diagnostics); not for the forwarding path. */
    int localPort() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            MemorySegment sockaddr = arena.allocate(32, 8);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 32);
            if (Libc.getsockname(state, open(), sockaddr.address(), length.address()) < 0) {
                throw Libc.error(Libc.errno(state));
            }
            return sockaddr.get(NET_SHORT, 2) & 0xFFFF;
        }
    }

    /** The scratch of the loop the socket is registered with: only that loop's thread reads and writes it. */
    private Scratch scratch() {
        FfmPoller p = poller;
        if (p == null) {
            throw new IllegalStateException("a socket of the ffm engine is read and written by its loop, once registered");
        }
        return p.scratch;
    }

    /** @return the descriptor, when the socket is open */
    private int open() throws ClosedChannelException {
        int fd = this.fd;
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    private IOException failure(int errno) {
        if (fd < 0) { // closed by another thread while the call ran
            return new AsynchronousCloseException();
        }
        return Libc.error(errno);
    }

    private static PortUnreachableException portUnreachable() {
        return new PortUnreachableException("ICMP Port Unreachable");
    }

    /** The JDK's checks on an address given to send or connect. */
    private void checkAddress(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        if (a == null) {
            throw new UnresolvedAddressException();
        }
        if (!ipv6 && !(a instanceof Inet4Address)) {
            throw new UnsupportedAddressTypeException();
        }
    }

    /**
     * Writes {@code target} as this socket's sockaddr into the scratch, without allocating: a {@link Source}
     * carries its raw form, an {@link Inet4Address}'s {@code hashCode} is its address, and an IPv6 address that
     * is neither is encoded from its bytes once while it stays the last such target.
     *
     * @return the sockaddr's length
     */
    private int encode(MemorySegment m, InetSocketAddress target) {
        if (target instanceof Source s) {
            return s.encode(m, ipv6);
        }
        InetAddress a = target.getAddress();
        if (a instanceof Inet4Address) {
            return encode(m, ipv6, 0, MAPPED | (a.hashCode() & 0xFFFFFFFFL), 0, target.getPort(), true);
        }
        checkAddress(target);
        Source t = this.target;
        if (t == null || t.of != target) {
            this.target = t = Source.of(target, (Inet6Address) a);
        }
        return t.encode(m, ipv6);
    }

    /** Writes a sockaddr_in (IPv4 on an IPv4 socket) or a sockaddr_in6 at the scratch's sockaddr. */
    static int encode(MemorySegment m, boolean ipv6, long hi, long lo, int scope, int port, boolean v4) {
        long at = Scratch.SOCKADDR;
        if (!ipv6) {
            if (!v4) {
                throw new UnsupportedAddressTypeException();
            }
            m.set(JAVA_SHORT, at, (short) Libc.AF_INET);
            m.set(NET_SHORT, at + 2, (short) port);
            m.set(NET_INT, at + 4, (int) lo);
            m.set(JAVA_LONG, at + 8, 0L);
            return SOCKADDR_IN_SIZE;
        }
        m.set(JAVA_SHORT, at, (short) Libc.AF_INET6);
        m.set(NET_SHORT, at + 2, (short) port);
        m.set(JAVA_INT, at + 4, 0); // flow info
        m.set(NET_LONG, at + 8, hi);
        m.set(NET_LONG, at + 16, lo);
        m.set(JAVA_INT, at + 24, scope);
        return SOCKADDR_IN6_SIZE;
    }

    /** The sockaddr {@link FfmEngine#open} binds to, in {@code m} from offset 0 ({@code address} null: any). */
    static int encodeLocal(MemorySegment m, boolean ipv6, InetAddress address, int port) {
        if (address == null) {
            return encode(m, ipv6, 0, ipv6 ? 0 : MAPPED, 0, port, true);
        }
        if (address instanceof Inet4Address) {
            return encode(m, ipv6, 0, MAPPED | (address.hashCode() & 0xFFFFFFFFL), 0, port, true);
        }
        Inet6Address a = (Inet6Address) address;
        byte[] b = a.getAddress();
        return encode(m, ipv6, bytesToLong(b, 0), bytesToLong(b, 8), a.getScopeId(), port, false);
    }

    private static long bytesToLong(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = v << 8 | (b[i] & 0xFF);
        }
        return v;
    }

    /**
     * An address as a socket received it or must send to it, with its raw form: IPv4 as the IPv4-mapped IPv6
     * address, so that one comparison serves both socket families. Equal to any {@link InetSocketAddress} of
     * the same address and port ({@code equals} and {@code hashCode} are final there).
     */
    static final class Source extends InetSocketAddress {

        @Serial
        private static final long serialVersionUID = 1L;

        final long hi;
        final long lo;
        final int scope;
        final int port;
        /** The address is an {@link Inet4Address}, so an IPv4 socket may send to it. */
        final boolean v4;
        /** The target this encodes, when it was made for one; null when received. */
        final transient InetSocketAddress of;

        private Source(InetAddress address, int port, long hi, long lo, int scope, InetSocketAddress of) {
            super(address, port);
            this.hi = hi;
            this.lo = lo;
            this.scope = scope;
            this.port = port;
            this.v4 = address instanceof Inet4Address;
            this.of = of;
        }

        /** As the JDK decodes a source: IPv4-mapped without a scope gives an {@link Inet4Address}. */
        static Source decode(long hi, long lo, int scope, int port) throws IOException {
            InetAddress address;
            if (hi == 0 && (lo >>> 32) == 0xFFFF && scope == 0) {
                int v4 = (int) lo;
                address = InetAddress.getByAddress(new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4});
            } else {
                byte[] b = new byte[16];
                for (int i = 0; i < 8; i++) {
                    b[i] = (byte) (hi >>> (56 - 8 * i));
                    b[8 + i] = (byte) (lo >>> (56 - 8 * i));
                }
                address = scope == 0 ? InetAddress.getByAddress(b) : Inet6Address.getByAddress(null, b, scope);
            }
            return new Source(address, port, hi, lo, scope, null);
        }

        static Source of(InetSocketAddress target, Inet6Address address) {
            byte[] b = address.getAddress();
            return new Source(address, target.getPort(), bytesToLong(b, 0), bytesToLong(b, 8), address.getScopeId(), target);
        }

        int encode(MemorySegment m, boolean ipv6) {
            return FfmSocket.encode(m, ipv6, hi, lo, scope, port, v4);
        }
    }
}
