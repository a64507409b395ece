package relay.api.spi;

import java.time.Duration;

/** The one implementation of {@link SharedQuota.Booking}. */
record BookingValue(boolean booked, int held, Duration retryAfter) implements SharedQuota.Booking {
}
