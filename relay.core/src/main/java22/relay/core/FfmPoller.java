package relay.core;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link Poller} that is an epoll instance, for the {@code ffm} engine: level-triggered {@code EPOLLIN}, the
 * event's data the socket's slot in a table of endpoints, and an eventfd in the set for {@link #wakeup}.
 *
 * <p>It also holds the native scratch its sockets' calls use ({@link Scratch}): one per loop thread rather than
 * per socket, as a socket's share would cost more than the socket, and reached through a field rather than a
 * thread-local, which would cost a lookup per call.
 */
final class FfmPoller implements Poller {

    /** Events taken per epoll_wait; more ready sockets are reported by the next one (level-triggered). */
    private static final int MAX_EVENTS = 1024;
    /** The eventfd's data: no slot. */
    private static final int WAKE = -1;

    /** The poller's native memory: freed at {@link #close}. */
    private final Arena arena = Arena.ofShared();
    final Scratch scratch;
    private final MemorySegment events;
    /** 8 bytes holding 1: what {@link #wakeup} writes to the eventfd, from any thread. */
    private final long one;
    private final int epfd;
    private final int eventfd;
    /** Registered sockets' endpoints and sockets by slot; loop thread only. */
    private Endpoint[] endpoints = new Endpoint[64];
    private FfmSocket[] sockets = new FfmSocket[64];
    /** Slots given back, taken again first; loop thread only. */
    private int[] free = new int[64];
    private int freeCount;
    /** Slots handed out so far, the table's high-water mark; loop thread only. */
    private int used;
    /** Slots of sockets closed on other threads than the loop's: given back at the next select. */
    private final Queue<Integer> closedElsewhere = new ConcurrentLinkedQueue<>();
    /** The loop thread, as the last register or select saw it: a socket closed on it gives its slot back at once. */
    private volatile Thread owner;
    /** A wake-up is pending: set by {@link #wakeup}, cleared when the eventfd is drained, so wake-ups coalesce. */
    private final AtomicBoolean woken = new AtomicBoolean();
    /** Guarded by this, against a {@link #wakeup} writing to a descriptor closed (and reused) meanwhile. */
    private boolean closed;

    FfmPoller() throws IOException {
        Arena arena = this.arena;
        try {
            scratch = new Scratch(arena);
            events = arena.allocate(MAX_EVENTS * Libc.EPOLL_EVENT_SIZE, 8);
            MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            this.one = one.address();
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
        int ep = Libc.epollCreate1(scratch.errno, Libc.EPOLL_CLOEXEC);
        if (ep < 0) {
            arena.close();
            throw Libc.error(scratch.errno());
        }
        int ev = Libc.eventfd(scratch.errno, 0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (ev < 0 || add(ep, ev, WAKE) < 0) {
            IOException e = Libc.error(scratch.errno());
            if (ev >= 0) {
                Libc.close(ev);
            }
            Libc.close(ep);
            arena.close();
            throw e;
        }
        epfd = ep;
        eventfd = ev;
    }

    /** @throws IllegalSelectorException the socket is registered with another poller */
    @Override
    public void register(UdpSocket socket, Endpoint endpoint) throws IOException {
        if (closed) {
            throw new ClosedSelectorException();
        }
        FfmSocket s = (FfmSocket) socket;
        owner = Thread.currentThread();
        synchronized (s) { // against a concurrent close of the socket: it gives back the slot of a registered one
            int fd = s.fd;
            if (fd < 0) {
                throw new ClosedChannelException();
            }
            if (s.poller == this) {
                endpoints[s.slot] = endpoint;
                return;
            }
            if (s.poller != null) {
                throw new IllegalSelectorException();
            }
            int slot = take();
            if (add(epfd, fd, slot) < 0) {
                give(slot);
                throw Libc.error(scratch.errno());
            }
            endpoints[slot] = endpoint;
            sockets[slot] = s;
            s.slot = slot;
            s.poller = this;
        }
    }

    @Override
    public void select(Consumer<Endpoint> ready) throws IOException {
        poll(ready, -1);
    }

    @Override
    public void selectNow(Consumer<Endpoint> ready) throws IOException {
        poll(ready, 0);
    }

    private void poll(Consumer<Endpoint> ready, int timeout) throws IOException {
        if (closed) {
            throw new ClosedSelectorException();
        }
        Thread t = Thread.currentThread();
        if (owner != t) {
            owner = t;
        }
        if (!closedElsewhere.isEmpty()) {
            for (Integer slot; (slot = closedElsewhere.poll()) != null;) {
                give(slot);
            }
        }
        Scratch s = scratch;
        int n;
        while ((n = Libc.epollWait(s.errno, epfd, events.address(), MAX_EVENTS, timeout)) < 0) {
            int errno = s.errno();
            if (errno != Libc.EINTR) {
                throw Libc.error(errno);
            }
        }
        MemorySegment events = this.events;
        for (int i = 0; i < n; i++) {
            int slot = events.get(JAVA_INT, i * Libc.EPOLL_EVENT_SIZE + Libc.EPOLL_DATA_OFFSET);
            if (slot == WAKE) {
                Libc.read(eventfd, s.address + Scratch.COUNTER, 8); // resets the counter
                woken.set(false);
                continue;
            }
            Endpoint e = endpoints[slot];
            if (e != null) { // null: closed during this round
                ready.accept(e);
            }
        }
    }

    /**
     * Any thread. Wake-ups coalesce: while one is pending, another writes nothing. The flag is cleared only after
     * the eventfd is drained, so a wake-up that finds it set is still to be seen by a select.
     */
    @Override
    public void wakeup() {
        if (woken.compareAndSet(false, true)) {
            synchronized (this) {
                if (!closed) {
                    Libc.write(eventfd, one, 8);
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            woken.set(true);
        }
        for (int i = 0; i < used; i++) {
            FfmSocket s = sockets[i];
            if (s != null) {
                s.close();
            }
        }
        synchronized (this) { // no wakeup writes to it now
            Libc.close(eventfd);
        }
        Libc.close(epfd);
        arena.close();
    }

    /** A registered socket was closed: its slot is free, at once on the loop thread, else at the next select. */
    void release(int slot) {
        if (Thread.currentThread() == owner) {
            give(slot);
        } else {
            closedElsewhere.add(slot);
        }
    }

    private int add(int epfd, int fd, int data) {
        MemorySegment m = scratch.memory;
        m.set(JAVA_INT, Scratch.EVENT, Libc.EPOLLIN);
        m.set(JAVA_LONG_UNALIGNED, Scratch.EVENT + Libc.EPOLL_DATA_OFFSET, data & 0xFFFFFFFFL);
        return Libc.epollCtl(scratch.errno, epfd, Libc.EPOLL_CTL_ADD, fd, scratch.address + Scratch.EVENT);
    }

    private int take() {
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (used == endpoints.length) {
            int size = used * 2;
            endpoints = Arrays.copyOf(endpoints, size);
            sockets = Arrays.copyOf(sockets, size);
            free = Arrays.copyOf(free, size);
        }
        return used++;
    }

    private void give(int slot) {
        endpoints[slot] = null;
        sockets[slot] = null;
        free[freeCount++] = slot;
    }

    /**
     * Native memory for one thread's socket calls: a sockaddr, its length, the captured errno, and the address of
     * the direct buffer last used. A poller's belongs to its loop thread.
     */
    static final class Scratch {

        /** A sockaddr_in or sockaddr_in6 (28 bytes). */
        static final long SOCKADDR = 0;
        static final long SOCKLEN = 32;
        /** One epoll_event, for epoll_ctl. */
        static final long EVENT = 40;
        /** 8 bytes the eventfd's counter is read into. */
        static final long COUNTER = 56;
        private static final long SIZE = 64;

        final MemorySegment memory;
        final long address;
        /**
         * Where calls capture errno. In an automatic arena, whatever {@code arena} is: a segment passed to a
         * downcall is acquired for the call, which for a shared arena's costs two atomic updates.
         */
        final MemorySegment errno;
        private ByteBuffer buffer;
        private long base;

        Scratch(Arena arena) {
            memory = arena.allocate(SIZE, 8);
            address = memory.address();
            errno = Arena.ofAuto().allocate(Libc.CAPTURE);
        }

        int errno() {
            return Libc.errno(errno);
        }

        /** The native address of {@code buffer}'s index 0, found once per buffer. */
        long base(ByteBuffer buffer) {
            if (buffer != this.buffer) {
                if (!buffer.isDirect()) {
                    throw new IllegalArgumentException("the ffm engine takes direct buffers only");
                }
                base = MemorySegment.ofBuffer(buffer).address() - buffer.position();
                this.buffer = buffer;
            }
            return base;
        }
    }
}
