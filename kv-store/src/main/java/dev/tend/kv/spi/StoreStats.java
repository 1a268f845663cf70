package dev.tend.kv.spi;

import java.util.List;

/**
 * A store's running figures in this process since it was opened, for metrics ({@code tend agent --listen}): counters
 * and histograms the backend keeps as it works (cheap adders), read at any time from any thread. A backend that keeps
 * them implements {@link StatsSource}.
 */
public interface StoreStats {

    /** Write requests committed through the group commit (put, create, update, delete, purge), refused ones too. */
    long writes();

    /** Forces (fsync) of a bucket's log made for writes. */
    long forces();

    /** Compactions this process finished. */
    long compactions();

    /** Write requests per group-commit batch. */
    CountHistogram batchSizes();

    /** How long after its write a watch delivered an entry to its listener, in microseconds (the store's clock). */
    CountHistogram watchLagMicros();

    /** The buckets this process has open with their index loaded (others are not read for this), by name. */
    List<BucketFigures> openBuckets();

    /**
     * One open bucket's contents now.
     *
     * @param name    the bucket
     * @param entries retained entries, history and markers included
     * @param bytes   the bytes those entries take
     */
    record BucketFigures(String name, long entries, long bytes) {
    }
}
