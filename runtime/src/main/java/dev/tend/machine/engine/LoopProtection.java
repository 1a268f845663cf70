package dev.tend.machine.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.random.RandomGenerator;

/**
 * Slows a machine that transitions in a loop. A burst of {@value #BURST} transitions within {@link #BURST_WINDOW} passes
 * without delay (normal reactions stay fast, unlike the reference, which delays every transition after the first); every
 * further transition until a {@link #QUIET} period waits the reference's growing delay with a jitter of ×[0.5, 1.5].
 * Not thread-safe: the machine calls it under its lock.
 */
final class LoopProtection {

    static final int BURST = 20;
    static final Duration BURST_WINDOW = Duration.ofSeconds(10);
    static final Duration QUIET = Duration.ofMinutes(1);

    /** The reference's table (ms), indexed by the count of transitions beyond the burst, capped at its last entry. */
    private static final long[] DELAYS_MS = {0, 25, 50, 75, 100, 125, 150, 200, 250, 500, 750, 1000, 1500, 2000, 2500,
            3000, 3500, 4000, 4500, 5000};

    private final RandomGenerator random;
    /** Times of the transitions of the current burst that are still inside the window. */
    private final ArrayDeque<Instant> burst = new ArrayDeque<>();
    /** Transitions counted beyond the burst since the last quiet period; 0 while the burst lasts. */
    private int beyond;
    private Instant last;

    LoopProtection(RandomGenerator random) {
        this.random = random;
    }

    /** The un-jittered delay of the k-th transition beyond the burst (k ≥ 1). */
    static Duration baseDelay(int k) {
        return Duration.ofMillis(DELAYS_MS[Math.min(k, DELAYS_MS.length - 1)]);
    }

    /** How long the next transition must wait if it is applied at {@code now}; zero within the burst. */
    Duration delayBeforeNext(Instant now) {
        forgetBefore(now);
        if (beyond == 0 && burst.size() < BURST) {
            return Duration.ZERO;
        }
        double jitter = 0.5 + random.nextDouble();
        return Duration.ofNanos(Math.round(baseDelay(beyond + 1).toNanos() * jitter));
    }

    /** Counts a transition applied at {@code now} (self transitions and operators' transitions count too). */
    void record(Instant now) {
        forgetBefore(now);
        if (beyond == 0 && burst.size() < BURST) {
            burst.addLast(now);
        } else {
            beyond++;
        }
        last = now;
    }

    /** Transitions beyond the burst since the last quiet period (for logs and tests). */
    int beyondBurst() {
        return beyond;
    }

    private void forgetBefore(Instant now) {
        if (last != null && !now.isBefore(last.plus(QUIET))) {
            burst.clear();
            beyond = 0;
            last = null;
        }
        Instant windowStart = now.minus(BURST_WINDOW);
        while (!burst.isEmpty() && !burst.peekFirst().isAfter(windowStart)) {
            burst.removeFirst();
        }
    }
}
