package relay.core;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Plain descriptors driven through the Foreign Function &amp; Memory API (io.engine=ffm): Linux on x86_64 or
 * aarch64, Java 22 or later. {@link IoEngines} makes it by reflection, as it is compiled into the bundle's
 * versioned part; its constructor is the probe that decides whether it can run here.
 */
final class FfmEngine implements IoEngine {

    /** @throws UnsupportedOperationException not Linux on x86_64 or aarch64, or the C library cannot be linked */
    FfmEngine() {
        String os = System.getProperty("os.name");
        if (!os.startsWith("Linux")) {
            throw new UnsupportedOperationException("the ffm engine runs on Linux, not " + os);
        }
        try {
            Libc.probe();
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UnsupportedOperationException(String.valueOf(cause.getMessage()), cause);
        }
    }

    @Override
    public String name() {
        return "ffm";
    }

    /**
     * As a {@code DatagramChannel} of the address's family is opened and bound: non-blocking, and dual stack for
     * an IPv6 address ({@code IPV6_V6ONLY} off). Not on the forwarding path: it takes a confined arena, so that
     * it shares no scratch with the loops.
     */
    @Override
    public UdpSocket open(InetAddress address, int port) throws IOException {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        boolean ipv6 = address instanceof Inet6Address;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int fd = Libc.socket(state, ipv6 ? Libc.AF_INET6 : Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC);
            if (fd < 0) { // EMFILE and ENFILE: "Too many open files", as the JDK says it
                throw Libc.error(Libc.errno(state));
            }
            try {
                if (ipv6) {
                    MemorySegment off = arena.allocate(JAVA_INT); // zeroed
                    if (Libc.setsockopt(state, fd, Libc.IPPROTO_IPV6, Libc.IPV6_V6ONLY, off.address(), 4) < 0) {
                        throw Libc.error(Libc.errno(state));
                    }
                }
                MemorySegment sockaddr = arena.allocate(32, 8);
                int length = FfmSocket.encodeLocal(sockaddr, ipv6, address, port);
                if (Libc.bind(state, fd, sockaddr.address() + FfmPoller.Scratch.SOCKADDR, length) < 0) {
                    throw Libc.error(Libc.errno(state)); // EADDRINUSE: a BindException, "Address already in use"
                }
                return new FfmSocket(fd, ipv6);
            } catch (IOException | RuntimeException | Error e) {
                Libc.close(fd);
                throw e;
            }
        }
    }

    @Override
    public Poller openPoller() throws IOException {
        return new FfmPoller();
    }
}
