package relay.signal;

/**
 * A token bucket per connection: {@code rate} frames per second sustained, {@code burst} at once.
 * A frame over it is refused with the time until the next token; a connection that keeps
 * sending while refused is abusive: more than {@code burst} refusals with no frame allowed in
 * between. Used by the one thread that reads the connection; the clock is given at each call.
 */
final class RateLimiter {

    private static final long SECOND = 1_000_000_000L;

    private double tokens;
    private long last;
    private int refusedInRow;

    /** @param nowNanos the monotonic time at which the connection opened */
    RateLimiter(int burst, long nowNanos) {
        this.tokens = burst;
        this.last = nowNanos;
    }

    /**
     * @param rate sustained frames per second
     * @param burst bucket size
     * @param nowNanos the monotonic time of the frame
     * @return 0 when the frame may pass, else the nanoseconds until it would
     */
    long acquire(int rate, int burst, long nowNanos) {
        long elapsed = Math.max(0, nowNanos - last);
        last = nowNanos;
        tokens = Math.min(burst, tokens + (double) elapsed * rate / SECOND);
        if (tokens >= 1) {
            tokens -= 1;
            refusedInRow = 0;
            return 0;
        }
        refusedInRow++;
        return Math.max(1, (long) Math.ceil((1 - tokens) * SECOND / rate));
    }

    /** @return whether the connection kept sending past {@code burst} refusals in a row */
    boolean abusive(int burst) {
        return refusedInRow > burst;
    }
}
