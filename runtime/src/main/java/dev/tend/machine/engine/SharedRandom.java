package dev.tend.machine.engine;

import java.util.random.RandomGenerator;

/**
 * The environment's random generator, shared by all machines of an agent and called from many threads; the JDK's
 * generators are not thread-safe, so every call holds the generator's monitor.
 */
final class SharedRandom implements RandomGenerator {

    private final RandomGenerator delegate;

    SharedRandom(RandomGenerator delegate) {
        this.delegate = delegate;
    }

    @Override
    public long nextLong() {
        synchronized (delegate) {
            return delegate.nextLong();
        }
    }

    @Override
    public long nextLong(long bound) {
        synchronized (delegate) {
            return delegate.nextLong(bound);
        }
    }

    @Override
    public double nextDouble() {
        synchronized (delegate) {
            return delegate.nextDouble();
        }
    }
}
