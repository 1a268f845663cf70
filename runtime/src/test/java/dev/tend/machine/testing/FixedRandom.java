package dev.tend.machine.testing;

import java.util.random.RandomGenerator;

/**
 * A "random" generator for tests that always answers the same fraction: {@code nextDouble()} is {@code fraction} and
 * {@code nextLong(bound)} is {@code floor(fraction * bound)}, so splay and jitter are known in advance.
 */
public final class FixedRandom implements RandomGenerator {

    private final double fraction;

    /** @param fraction in [0, 1) */
    public FixedRandom(double fraction) {
        if (fraction < 0 || fraction >= 1) {
            throw new IllegalArgumentException("fraction must be in [0, 1): " + fraction);
        }
        this.fraction = fraction;
    }

    @Override
    public long nextLong() {
        return (long) (fraction * Long.MAX_VALUE);
    }

    @Override
    public long nextLong(long bound) {
        return (long) Math.floor(fraction * bound);
    }

    @Override
    public double nextDouble() {
        return fraction;
    }
}
