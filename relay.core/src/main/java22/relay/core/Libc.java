package relay.core;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;

/**
 * The C library calls of the ffm engine, for Linux on x86_64 and aarch64 (the constants and
 * {@code struct epoll_event} are those two's).
 *
 * <p>Pointers are passed as {@code long} addresses, so that a call takes primitives only and allocates
 * nothing; the one segment a call takes is where {@code errno} is captured, the caller's scratch. Every
 * handle is a constant the JIT folds into its caller.
 */
final class Libc {

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 04000;
    static final int SOCK_CLOEXEC = 02000000;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int EPOLL_CLOEXEC = 02000000;
    static final int EPOLLIN = 1;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EFD_NONBLOCK = 04000;
    static final int EFD_CLOEXEC = 02000000;

    static final int EINTR = 4;
    static final int EBADF = 9;
    /** Also EWOULDBLOCK. */
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EPROTO = 71;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENOTCONN = 107;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;

    /** {@code struct epoll_event} is packed on x86_64 (12 bytes, data at 4) and not on aarch64 (16, data at 8). */
    static final long EPOLL_EVENT_SIZE;
    static final long EPOLL_DATA_OFFSET;

    /** What {@code captureCallState("errno")} writes: one segment of this layout per thread that calls. */
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    static final long ERRNO_OFFSET = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET;
    private static final MethodHandle BIND;
    private static final MethodHandle SETSOCKOPT;
    private static final MethodHandle GETSOCKNAME;
    private static final MethodHandle RECVFROM;
    private static final MethodHandle SENDTO;
    private static final MethodHandle SEND;
    private static final MethodHandle CONNECT;
    private static final MethodHandle CLOSE;
    private static final MethodHandle EPOLL_CREATE1;
    private static final MethodHandle EPOLL_CTL;
    private static final MethodHandle EPOLL_WAIT;
    private static final MethodHandle EVENTFD;
    private static final MethodHandle READ;
    private static final MethodHandle WRITE;
    private static final MethodHandle STRERROR;

    static {
        String arch = System.getProperty("os.arch");
        switch (arch) {
            case "amd64", "x86_64" -> {
                EPOLL_EVENT_SIZE = 12;
                EPOLL_DATA_OFFSET = 4;
            }
            case "aarch64" -> {
                EPOLL_EVENT_SIZE = 16;
                EPOLL_DATA_OFFSET = 8;
            }
            default -> throw new UnsupportedOperationException("the ffm engine runs on x86_64 and aarch64, not " + arch);
        }
        SOCKET = errno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        BIND = errno("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
        SETSOCKOPT = errno("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
        GETSOCKNAME = errno("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
        RECVFROM = errno("recvfrom",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        SENDTO = errno("sendto",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
        SEND = errno("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        CONNECT = errno("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT));
        CLOSE = plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        EPOLL_CREATE1 = errno("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        EPOLL_CTL = errno("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        EPOLL_WAIT = errno("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT));
        EVENTFD = errno("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        READ = plain("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        WRITE = plain("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        STRERROR = plain("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private Libc() {
    }

    /** Loads the class, so that a JVM that cannot link the calls fails here; then makes one harmless call. */
    static void probe() {
        close(-1);
    }

    @SuppressWarnings("restricted") // the engine runs with native access granted
    private static MethodHandle errno(String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(symbol(name), descriptor);
    }

    private static MemorySegment symbol(String name) {
        return Linker.nativeLinker().defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name));
    }

    /** The errno a call captured into {@code state}. */
    static int errno(MemorySegment state) {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }

    static int socket(MemorySegment state, int domain, int type) {
        try {
            return (int) SOCKET.invokeExact(state, domain, type, 0);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static int bind(MemorySegment state, int fd, long sockaddr, int length) {
        try {
            return (int) BIND.invokeExact(state, fd, sockaddr, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static int setsockopt(MemorySegment state, int fd, int level, int option, long value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static int getsockname(MemorySegment state, int fd, long sockaddr, long length) {
        try {
            return (int) GETSOCKNAME.invokeExact(state, fd, sockaddr, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static long recvfrom(MemorySegment state, int fd, long buffer, long length, long sockaddr, long sockaddrLength) {
        try {
            return (long) RECVFROM.invokeExact(state, fd, buffer, length, 0, sockaddr, sockaddrLength);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static long sendto(MemorySegment state, int fd, long buffer, long length, long sockaddr, int sockaddrLength) {
        try {
            return (long) SENDTO.invokeExact(state, fd, buffer, length, 0, sockaddr, sockaddrLength);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static long send(MemorySegment state, int fd, long buffer, long length) {
        try {
            return (long) SEND.invokeExact(state, fd, buffer, length, 0);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static int connect(MemorySegment state, int fd, long sockaddr, int length) {
        try {
            return (int) CONNECT.invokeExact(state, fd, sockaddr, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** Quiet: whatever it returns, the descriptor is gone (Linux never retries a close). */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static int epollCreate1(MemorySegment state, int flags) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(state, flags);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static int epollCtl(MemorySegment state, int epfd, int op, int fd, long event) {
        try {
            return (int) EPOLL_CTL.invokeExact(state, epfd, op, fd, event);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static int epollWait(MemorySegment state, int epfd, long events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    static int eventfd(MemorySegment state, int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state, initial, flags);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** No errno: only the eventfd is read, where a failure (nothing to read) is harmless. */
    static long read(int fd, long buffer, long length) {
        try {
            return (long) READ.invokeExact(fd, buffer, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** No errno: only the eventfd is written, from any thread, where a failure (counter full) is harmless. */
    static long write(int fd, long buffer, long length) {
        try {
            return (long) WRITE.invokeExact(fd, buffer, length);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** The C library's text for {@code errno}, as the JDK puts it in its exceptions. */
    @SuppressWarnings("restricted")
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "errno " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable e) {
            throw unexpected(e);
        }
    }

    /** The exception the JDK's NIO throws for a failed socket call, with the same message. */
    static IOException error(int errno) {
        String message = strerror(errno);
        return switch (errno) {
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> new BindException(message);
            case ECONNREFUSED, ETIMEDOUT, ENOTCONN -> new ConnectException(message);
            case EHOSTUNREACH -> new NoRouteToHostException(message);
            case EPROTO -> new ProtocolException(message);
            default -> new SocketException(message);
        };
    }

    /** A downcall throws nothing of its own: what it does throw goes on unchanged. */
    private static RuntimeException unexpected(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }
}
