package relay.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a leak would show in this JVM: open file descriptors (every socket is one), live
 * threads, and the heap in use after garbage collection.
 */
record JvmResources(long fileDescriptors, int threads, long heapBytes) {

    private static final Path FDS = Path.of("/proc/self/fd");

    /** @return the counts now, the heap measured after full collections */
    static JvmResources measure() {
        return new JvmResources(openFileDescriptors(), ManagementFactory.getThreadMXBean().getThreadCount(), heapAfterGc());
    }

    /** @return the counts now, without collecting (fast enough to poll) */
    static JvmResources count() {
        return new JvmResources(openFileDescriptors(), ManagementFactory.getThreadMXBean().getThreadCount(), -1);
    }

    private static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FDS, e);
        }
    }

    /** Several collections, until the heap in use stops shrinking: what is left is what is reachable. */
    private static long heapAfterGc() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (used >= previous) {
                return previous;
            }
            previous = used;
        }
        return previous;
    }

    @Override
    public String toString() {
        return fileDescriptors + " file descriptors, " + threads + " threads"
                + (heapBytes < 0 ? "" : ", " + heapBytes / 1024 + " KiB heap after GC");
    }
}
