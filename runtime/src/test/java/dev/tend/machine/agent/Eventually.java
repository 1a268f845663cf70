package dev.tend.machine.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls for something asynchronous with a generous deadline (never an assertion about how long it took). */
final class Eventually {

    static final Duration DEADLINE = Duration.ofSeconds(20);

    private Eventually() {
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + "s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
