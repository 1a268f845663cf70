package dev.tend.kv.spi;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of observed values in fixed buckets, with their sum: what a Prometheus histogram shows, kept without any
 * metrics library. Thread-safe and cheap to record (adders); a reader sees each adder's figure at its moment, so a
 * snapshot taken while values are recorded may be off by those values.
 */
public final class CountHistogram {

    private final long[] bounds;
    private final LongAdder[] counts;
    private final LongAdder sum = new LongAdder();

    /** @param bounds the buckets' inclusive upper bounds, ascending; a last bucket takes every larger value */
    public CountHistogram(long... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("the bounds must ascend: " + Arrays.toString(bounds));
            }
        }
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts {@code value} (a negative one as 0). */
    public void record(long value) {
        long v = Math.max(0, value);
        int i = Arrays.binarySearch(bounds, v);
        counts[i >= 0 ? i : -i - 1].increment();
        sum.add(v);
    }

    /** The upper bounds, without the last, unbounded bucket. */
    public long[] bounds() {
        return bounds.clone();
    }

    /** A copy of the counts per bucket (not cumulative), the unbounded bucket last, and the sum. */
    public Snapshot snapshot() {
        long[] c = new long[counts.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = counts[i].sum();
        }
        return new Snapshot(bounds.clone(), c, sum.sum());
    }

    /**
     * The histogram at one moment.
     *
     * @param bounds the upper bounds
     * @param counts the count of each bucket, one more than the bounds (the last unbounded)
     * @param sum    the sum of the values
     */
    public record Snapshot(long[] bounds, long[] counts, long sum) {

        /** How many values were recorded. */
        public long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }
}
