package dev.tend.bench;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Measures variants of one operation in rounds: every round runs one time-boxed block of each variant, so that all
 * variants see the same drift of a shared machine (other builds, the disk's force rate). The order rotates and
 * reverses from one round to the next (A B C, C B A, B C A, A C B, ...), so that no variant always runs first, and
 * any two run in each order equally often: a variant that always ran before another would always take more of the
 * JIT compiler's and the garbage collector's leftovers. One unmeasured round warms everything up first.
 */
final class Interleaved {

    /** One block of a variant: runs for about {@code nanos} and returns its figure (a rate, or a latency). */
    interface Block {
        double run(long nanos) throws Exception;
    }

    record Variant(String name, Block block) {
    }

    /**
     * What the rounds measured, {@code [variant][round]}: each block's figure, its wall time and the CPU time this
     * JVM used meanwhile (every thread: the caller, jnats' reader, the engine's writer; not nats-server's). Only one
     * variant runs at a time, so the CPU time is that variant's, a figure the host's other load moves far less than
     * the wall time.
     */
    record Figures(double[][] figure, double[][] wallNanos, double[][] cpuNanos) {
    }

    /** The warm-up block of each variant runs at least this long, so that the JIT has compiled its path. */
    private static final long MIN_WARM_UP_NANOS = 1_000_000_000L;

    private Interleaved() {
    }

    static Figures run(List<Variant> variants, int rounds, long blockNanos) throws Exception {
        int n = variants.size();
        for (Variant v : variants) {
            v.block().run(Math.max(blockNanos, MIN_WARM_UP_NANOS));
        }
        Figures f = new Figures(new double[n][rounds], new double[n][rounds], new double[n][rounds]);
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int v = (r / 2 + (r % 2 == 0 ? k : n - 1 - k)) % n;
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                f.figure()[v][r] = variants.get(v).block().run(blockNanos);
                f.wallNanos()[v][r] = System.nanoTime() - t0;
                f.cpuNanos()[v][r] = processCpuNanos() - cpu0;
            }
        }
        return f;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
