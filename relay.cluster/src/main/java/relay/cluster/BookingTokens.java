package relay.cluster;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Booking names: a random name for this run of the component and a counter, so that two nodes,
 * or one node before and after a restart, never name two bookings alike (a booking's name is
 * also its entry in the user's rate window).
 */
final class BookingTokens {

    private final String run = UUID.randomUUID().toString().substring(0, 13);
    private final AtomicLong next = new AtomicLong();

    String next() {
        return run + Long.toString(next.incrementAndGet(), 36);
    }
}
