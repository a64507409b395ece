package relay.api;

import java.util.Arrays;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A distribution of durations in seconds, as Prometheus histograms carry them: counts per
 * bucket (each bucket holds what is at most its upper bound and above the previous one), the
 * count and the sum. Made by {@link #of}; implemented by this package only.
 */
@ProviderType
public interface Histogram {

    /** @return the upper bounds of the buckets in seconds, ascending; a last bucket above them is implied */
    double[] bounds();

    /** @return per bucket, how many observations fell in it; one more entry than {@link #bounds()} (above the last) */
    long[] counts();

    /** @return the sum of every observation, in seconds */
    double sum();

    /** @return how many observations there were */
    default long count() {
        return Arrays.stream(counts()).sum();
    }

    /**
     * @param bounds upper bounds in seconds, ascending
     * @param counts per bucket, one more than {@code bounds}
     * @param sum the sum of the observations in seconds
     * @return the histogram (copies of the arrays)
     */
    static Histogram of(double[] bounds, long[] counts, double sum) {
        if (counts.length != bounds.length + 1) {
            throw new IllegalArgumentException("a histogram has one count more than bounds");
        }
        return new HistogramValue(bounds.clone(), counts.clone(), sum);
    }

    /** No observation, no bucket. */
    Histogram EMPTY = of(new double[0], new long[1], 0);
}
