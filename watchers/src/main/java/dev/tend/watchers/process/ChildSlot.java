package dev.tend.watchers.process;

import java.time.Duration;
import java.util.List;

/**
 * The one command a watcher may have running (runs are serialised), and the stop that ends it: once stopped, nothing new
 * is started. Its lock guards the child between two threads of blocking work, the run's, which starts and releases it,
 * and the stop's, which ends it: starting happens under the lock, so a stop either sees the new child or prevents it.
 */
public final class ChildSlot {

    @FunctionalInterface
    public interface Starter {
        ChildProcess start() throws RunFailure;
    }

    private ChildProcess current;
    private boolean stopped;

    /** @return the started child, or null when the slot is stopped (nothing was started) */
    public synchronized ChildProcess start(Starter starter) throws RunFailure {
        if (stopped) {
            return null;
        }
        current = starter.start();
        return current;
    }

    public synchronized void release(ChildProcess child) {
        if (current == child) {
            current = null;
        }
    }

    /**
     * Refuses new children and ends the running one ({@link ChildProcess#stop}); a disowned one is let go. Blocks until the
     * processes are gone.
     *
     * @return pids that could not be ended (normally none)
     */
    public List<Long> stop(Duration grace) {
        ChildProcess child;
        synchronized (this) {
            stopped = true;
            child = current;
        }
        return child == null ? List.of() : child.stop(grace);
    }
}
