package dev.tend.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The rates of repeated measured runs of one scenario (operations per second). */
record Runs(double[] rates) {

    Runs {
        if (rates.length == 0) {
            throw new IllegalArgumentException("no runs");
        }
        rates = rates.clone();
    }

    double median() {
        return Support.median(rates);
    }

    double min() {
        return Arrays.stream(rates).min().orElseThrow();
    }

    double max() {
        return Arrays.stream(rates).max().orElseThrow();
    }

    /** Half the range as a share of the median, e.g. 0.03 for ±3%. */
    double spread() {
        return (max() - min()) / 2 / median();
    }

    /** {@code 12,345 ops/s (±2%)}, or without the spread for one run. */
    String figure() {
        String f = Support.count(median()) + " ops/s";
        return rates.length > 1 ? f + Support.fixed(" (±%.0f%%)", spread() * 100) : f;
    }

    /** {@code median 12,345 ops/s; runs 12,001 / 12,345 / 12,500}. */
    String detail() {
        String each = Arrays.stream(rates).mapToObj(Support::count).collect(Collectors.joining(" / "));
        return "median " + Support.count(median()) + " ops/s" + (rates.length > 1 ? "; runs " + each : "");
    }
}
