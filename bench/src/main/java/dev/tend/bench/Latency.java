package dev.tend.bench;

import java.util.Arrays;

/**
 * A latency distribution in microseconds.
 *
 * @param sortedMicros the samples, sorted
 * @param early        samples that were negative (delivered before the put returned to its caller), counted as 0
 * @param earlyByMicros how long before the return those were delivered, sorted (positive microseconds)
 */
record Latency(long[] sortedMicros, int early, long[] earlyByMicros) {

    static Latency of(long[] micros) {
        long[] s = micros.clone();
        long[] by = Arrays.stream(micros).filter(x -> x < 0).map(x -> -x).sorted().toArray();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) {
                s[i] = 0;
            }
        }
        Arrays.sort(s);
        return new Latency(s, by.length, by);
    }

    int count() {
        return sortedMicros.length;
    }

    long p(double percentile) {
        return Support.percentile(sortedMicros, percentile);
    }

    long max() {
        return sortedMicros.length == 0 ? 0 : sortedMicros[sortedMicros.length - 1];
    }

    /** {@code p50 0.052 ms, p99 0.310 ms, max 4.1 ms}. */
    String summary() {
        return "p50 " + Support.micros(p(50)) + ", p99 " + Support.micros(p(99)) + ", max " + Support.micros(max());
    }

    String detail() {
        String s = "n=" + Support.count(count()) + ": p50 " + Support.micros(p(50)) + ", p90 " + Support.micros(p(90))
                + ", p99 " + Support.micros(p(99)) + ", p99.9 " + Support.micros(p(99.9))
                + ", max " + Support.micros(max());
        if (early == 0) {
            return s;
        }
        return s + "; " + Support.count(early) + " delivered before put() returned (counted as 0), by p50 "
                + Support.micros(Support.percentile(earlyByMicros, 50)) + ", max "
                + Support.micros(earlyByMicros[earlyByMicros.length - 1]);
    }
}
