package relay.itest;

import java.util.List;

/** The threads the relay starts: all are named relay-* (I/O loops, timeout monitor, event delivery). */
final class RelayThreads {

    private RelayThreads() {
    }

    /** @return the live threads of this JVM whose name starts with relay- */
    static List<Thread> alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("relay-"))
                .toList();
    }

    /** @return the names of {@code threads}, for a readable failure */
    static List<String> names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).toList();
    }
}
