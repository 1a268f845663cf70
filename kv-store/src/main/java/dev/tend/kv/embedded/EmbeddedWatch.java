package dev.tend.kv.embedded;

import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.StoreException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A watch is a cursor over the bucket's log: it first delivers the initial entries chosen when it started, then
 * reads every record committed after that point, in order, each exactly once. It runs on the store's watch
 * executor only when signalled, one drain at a time, so a slow listener delays nothing but itself. It reads
 * through its bucket's {@link WatchFeed}, and through nothing else.
 */
final class EmbeddedWatch implements Watch {
    private static final LazyLogger LOG = new LazyLogger(EmbeddedWatch.class);
    private static final int BATCH = 256;

    /** An initial entry to deliver: resolved when delivered, so its value is read lazily. */
    record Location(String key, long revision) {
    }

    private final WatchFeed feed;
    private final List<KeyFilter> filters;
    private final WatchOptions options;
    private final WatchListener listener;
    private final Executor executor;
    private final List<Location> initial;
    private final AtomicInteger wip = new AtomicInteger();

    // Written only by the draining thread (one at a time, ordered by wip); the volatile ones are also read by
    // the file-system watcher to decide whether a wake-up is needed.
    private int initialDelivered;
    private volatile boolean caughtUp;
    private volatile long generation;
    private volatile long position;
    private long scannedThrough;

    private volatile boolean closeRequested;
    private volatile boolean ended;

    EmbeddedWatch(WatchFeed feed, List<KeyFilter> filters, WatchOptions options, WatchListener listener,
                  List<Location> initial, long generation, long position, long scannedThrough, Executor executor) {
        this.feed = feed;
        this.filters = filters;
        this.options = options;
        this.listener = listener;
        this.initial = initial;
        this.generation = generation;
        this.position = position;
        this.scannedThrough = scannedThrough;
        this.executor = executor;
    }

    /** True unless the watch has delivered everything up to this head. */
    boolean isBehind(long headGeneration, long headLength) {
        return !caughtUp || headGeneration != generation || headLength > position;
    }

    void start() {
        signal();
    }

    /** Asks for a drain: new records may have been committed, or the watch should end. */
    void signal() {
        if (ended) {
            return;
        }
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                wip.set(0);
                end(null);
            }
        }
    }

    private void drain() {
        int missed = 1;
        do {
            try {
                step();
            } catch (KvException e) {
                end(e);
            } catch (RuntimeException e) {
                LOG.get().warn("watch on bucket {} failed", feed.bucket(), e);
                end(new StoreException("watch on bucket " + feed.bucket() + " failed: " + e));
            }
            if (ended) {
                return;
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void step() {
        while (true) {
            if (closeRequested || !feed.isOpen()) {
                end(closeRequested ? null : feed.endReason());
                return;
            }
            if (!caughtUp) {
                deliverInitial();
                if (ended) {
                    return;
                }
                caughtUp = true;
                call(listener::onCaughtUp);
                continue;
            }
            WatchFeed.Read read = feed.read(generation, position, scannedThrough, filters, options, BATCH);
            if (read == null) {
                end(feed.endReason());
                return;
            }
            generation = read.generation();
            position = read.position();
            scannedThrough = read.scannedThrough();
            for (Entry e : read.entries()) {
                if (closeRequested) {
                    break;
                }
                call(() -> listener.onEntry(e));
            }
            if (!read.more()) {
                return;
            }
        }
    }

    private void deliverInitial() {
        int total = initial.size();
        while (initialDelivered < total) {
            if (closeRequested || !feed.isOpen()) {
                end(closeRequested ? null : feed.endReason());
                return;
            }
            int to = Math.min(total, initialDelivered + BATCH);
            List<Entry> batch = feed.readInitial(initial.subList(initialDelivered, to), total, initialDelivered,
                    options.metaOnly());
            initialDelivered = to;
            for (Entry e : batch) {
                call(() -> listener.onEntry(e));
            }
        }
    }

    private void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.get().warn("a watch listener on bucket {} threw; the watch goes on", feed.bucket(), e);
        }
    }

    private void end(KvException error) {
        if (ended) {
            return;
        }
        ended = true;
        feed.remove(this);
        if (error != null) {
            call(() -> listener.onError(error));
        } else {
            call(listener::onEnd);
        }
    }

    @Override
    public boolean isActive() {
        return !ended && !closeRequested;
    }

    @Override
    public void close() {
        closeRequested = true;
        signal();
    }
}
