package dev.tend.governor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How a governor's wait passes the time between two tries. Tests inject one that moves a clock instead. */
@FunctionalInterface
public interface Sleeper {

    /**
     * Returns once {@code duration} has passed or {@code changed} is complete (a slot of the governor was written),
     * whichever comes first.
     *
     * @throws InterruptedException when the waiting thread is interrupted: the wait is given up
     */
    void sleep(Duration duration, CompletableFuture<Void> changed) throws InterruptedException;

    /** Waits on the future for at most the duration, for real. */
    static Sleeper system() {
        return SystemSleeper.INSTANCE;
    }

    /** {@link #system()}: a class rather than a lambda, so that its name shows in thread dumps. */
    final class SystemSleeper implements Sleeper {
        static final SystemSleeper INSTANCE = new SystemSleeper();

        private SystemSleeper() {
        }

        @Override
        public void sleep(Duration duration, CompletableFuture<Void> changed) throws InterruptedException {
            try {
                changed.get(Math.max(0, duration.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // the time passed (nothing completes the future exceptionally)
            }
        }
    }
}
