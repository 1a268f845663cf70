package dev.tend.kv.embedded;

import dev.tend.kv.spi.CountHistogram;
import dev.tend.kv.spi.StoreStats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** The embedded store's {@link StoreStats}: adders the engine increments as it writes, forces, compacts and delivers. */
final class EngineStats implements StoreStats {

    /** Write requests per batch: powers of two up to the most a batch usually holds. */
    private static final long[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    /** Delivery lag, microseconds: 100 µs to 10 s. */
    private static final long[] LAG_BOUNDS = {100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000,
            250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000};

    private final LongAdder writes = new LongAdder();
    private final LongAdder forces = new LongAdder();
    private final LongAdder compactions = new LongAdder();
    private final CountHistogram batchSizes = new CountHistogram(BATCH_BOUNDS);
    private final CountHistogram watchLag = new CountHistogram(LAG_BOUNDS);
    private final Collection<BucketEngine> engines;

    /** @param engines the store's open buckets (a live view) */
    EngineStats(Collection<BucketEngine> engines) {
        this.engines = engines;
    }

    void batch(int requests) {
        writes.add(requests);
        batchSizes.record(requests);
    }

    void forced() {
        forces.increment();
    }

    void compacted() {
        compactions.increment();
    }

    void delivered(long lagNanos) {
        watchLag.record(lagNanos / 1_000);
    }

    @Override
    public long writes() {
        return writes.sum();
    }

    @Override
    public long forces() {
        return forces.sum();
    }

    @Override
    public long compactions() {
        return compactions.sum();
    }

    @Override
    public CountHistogram batchSizes() {
        return batchSizes;
    }

    @Override
    public CountHistogram watchLagMicros() {
        return watchLag;
    }

    @Override
    public List<BucketFigures> openBuckets() {
        List<BucketFigures> out = new ArrayList<>();
        for (BucketEngine e : engines) {
            BucketFigures f = e.figures();
            if (f != null) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparing(BucketFigures::name));
        return out;
    }
}
