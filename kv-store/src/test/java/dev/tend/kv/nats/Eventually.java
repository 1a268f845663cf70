package dev.tend.kv.nats;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls for something asynchronous (replication, elections) with a generous deadline instead of sleeping. */
final class Eventually {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long PAUSE_MS = 50;

    private Eventually() {
    }

    /** Waits until the condition holds; an exception from it counts as not yet. */
    static void until(String what, BooleanSupplier condition) {
        until(what, DEADLINE, condition);
    }

    static void until(String what, Duration deadline, BooleanSupplier condition) {
        get(what, deadline, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** The first non-null result of {@code attempt}; exceptions are retried, the last one is reported. */
    static <T> T get(String what, Supplier<T> attempt) {
        return get(what, DEADLINE, attempt);
    }

    static <T> T get(String what, Duration wait, Supplier<T> attempt) {
        long deadline = System.nanoTime() + wait.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                T value = attempt.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("gave up after " + wait.toSeconds() + "s waiting for "
                        + what + (last == null ? "" : ": " + last));
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                Thread.sleep(PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
