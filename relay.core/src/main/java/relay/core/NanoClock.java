package relay.core;

/**
 * The relay's monotonic clock: {@link System#nanoTime()} in production, a hand-driven one in
 * tests of idle timeouts and handover, so that they never sleep on wall time.
 */
@FunctionalInterface
interface NanoClock {

    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
