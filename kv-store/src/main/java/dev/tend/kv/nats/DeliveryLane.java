package dev.tend.kv.nats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One watch's calls to its listener, run one at a time and in the order given on the store's shared watch threads:
 * a lane holds no thread, so any number of watches share a few, and a slow listener delays only its own lane.
 */
final class DeliveryLane {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLane.class);

    private final Executor executor;
    private final String bucket;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();

    DeliveryLane(Executor executor, String bucket) {
        this.executor = executor;
        this.bucket = bucket;
    }

    void execute(Runnable task) {
        tasks.add(task);
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drain(); // the store is closing: deliver the end here
            }
        }
    }

    private void drain() {
        int missed = 1;
        do {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                try {
                    t.run();
                } catch (RuntimeException e) {
                    LOG.warn("a watch listener on bucket {} threw; the watch goes on", bucket, e);
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
