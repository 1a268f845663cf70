package dev.tend.machine.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The work that follows a transition (pokes, the event, the host's notification), queued in transition order while the
 * machine's lock is held and run after it is released, so nothing outside the machine ever runs under its lock and yet
 * events leave in the order the transitions happened. Whichever thread flushes first runs everything queued.
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Queue<Runnable> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();

    /** Queues {@code task}; call under the machine's lock so the order is the transitions' order. */
    void add(Runnable task) {
        pending.add(task);
    }

    /** Runs what is queued unless another thread is already doing so; call without holding the machine's lock. */
    void flush() {
        // Re-check after releasing the flag: a task added just before another thread's release must not be stranded.
        while (!pending.isEmpty() && flushing.compareAndSet(false, true)) {
            try {
                Runnable task;
                while ((task = pending.poll()) != null) {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("after a transition: {}", e.toString(), e);
                    }
                }
            } finally {
                flushing.set(false);
            }
        }
    }
}
