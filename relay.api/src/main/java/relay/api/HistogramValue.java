package relay.api;

import java.util.Arrays;

/** The one implementation of {@link Histogram}. */
record HistogramValue(double[] bounds, long[] counts, double sum) implements Histogram {

    @Override
    public double[] bounds() {
        return bounds.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramValue h && Arrays.equals(bounds, h.bounds) && Arrays.equals(counts, h.counts)
                && Double.compare(sum, h.sum) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bounds) * 31 + Arrays.hashCode(counts) + Double.hashCode(sum);
    }

    @Override
    public String toString() {
        return "Histogram[bounds=" + Arrays.toString(bounds) + ", counts=" + Arrays.toString(counts) + ", sum=" + sum + "]";
    }
}
