package relay.api.spi;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

import relay.api.BareJid;

/**
 * Channel counts and allocation rates shared by every node of a cluster, for a quota policy
 * that must hold across nodes. Registered by the cluster bundle; a relay that runs alone has
 * none, and its quota counts locally. Every method is called inside the relay's per-user
 * critical section of this node; the implementation makes each check-and-book atomic across
 * nodes.
 *
 * <p>When the shared store cannot answer, a quota counts on this node alone; whether new
 * channels may be made at all then is for the cluster's own policy to say.
 *
 * @since 1.1
 */
@ProviderType
public interface SharedQuota {

    /**
     * Books one channel for {@code user} if the user holds fewer than {@code channelLimit}
     * channels on all live nodes together and, when {@code perMinute > 0}, has not allocated
     * {@code perMinute} channels in the last minute on all nodes together. Both checks and both
     * bookings happen in one atomic step.
     *
     * @param user the user
     * @param channelLimit the user's channel limit (at least 1)
     * @param perMinute the user's allocations per minute, 0 for no limit
     * @return what was decided
     * @throws UnavailableException if the shared store cannot answer now
     */
    Booking book(BareJid user, int channelLimit, int perMinute) throws UnavailableException;

    /**
     * Gives back a booking whose channel never came to be.
     *
     * @param user the user whose {@link #book} succeeded
     * @param perMinute the rate given to {@link #book}
     */
    void cancel(BareJid user, int perMinute);

    /** The answer of {@link #book}: made by its factories, implemented by this package only. */
    @ProviderType
    interface Booking {

        /** @return true if one channel was booked */
        boolean booked();

        /** @return how many channels the user held on all nodes before this request */
        int held();

        /** @return when the rate denied: how long until a booking can succeed; else zero */
        Duration retryAfter();

        /**
         * @param held the user's channels before this one
         * @return one channel booked
         */
        static Booking booked(int held) {
            return new BookingValue(true, held, Duration.ZERO);
        }

        /**
         * @param held the user's channels, at or over the limit
         * @return refused by the channel limit
         */
        static Booking atLimit(int held) {
            return new BookingValue(false, held, Duration.ZERO);
        }

        /**
         * @param held the user's channels
         * @param retryAfter when a booking can succeed (positive)
         * @return refused by the rate
         */
        static Booking rateLimited(int held, Duration retryAfter) {
            if (retryAfter.isZero() || retryAfter.isNegative()) {
                throw new IllegalArgumentException("retryAfter must be positive, not " + retryAfter);
            }
            return new BookingValue(false, held, retryAfter);
        }
    }

    /** The shared store did not answer. */
    final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what failed
         * @param cause the client's error
         */
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
