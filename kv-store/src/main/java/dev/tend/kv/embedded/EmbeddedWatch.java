package dev.tend.kv.embedded;

import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.StoreException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A watch delivers the initial entries chosen when it started, then every record committed after that point, in
 * order, each exactly once. It runs on the store's watch executor only when signalled, one drain at a time (a serial
 * lane on the shared threads), so a slow listener delays nothing but itself. It reads through its bucket's
 * {@link WatchFeed}, and through nothing else.
 *
 * <p>While it catches up (its initial entries, then what was committed since) it reads the log with a cursor of its
 * own; once it has read as far as the bucket's {@link FeedTail}, it follows the tail, which reads each record once for
 * all its followers and queues the matching ones here. If its listener lets {@link FeedTail#MAX_QUEUED} entries pile
 * up, the tail detaches it at its own position, and it delivers what it was given, then reads by itself again.
 */
final class EmbeddedWatch implements Watch {
    private static final LazyLogger LOG = new LazyLogger(EmbeddedWatch.class);
    /** How many entries a read or a delivery takes at a time, between checks that the watch should go on. */
    static final int BATCH = 256;

    /** An initial entry to deliver: resolved when delivered, so its value is read lazily. */
    record Location(String key, long revision) {
    }

    private final WatchFeed feed;
    private final List<KeyFilter> filters;
    private final WatchOptions options;
    private final WatchListener listener;
    private final Executor executor;
    /** The initial entries; released once delivered (a watch of every key holds one per key until then). */
    private InitialEntries initial;
    /** The key of a watch of one literal key, which the tail finds by key; null for any other filter. */
    private final String literalKey;
    private final AtomicInteger wip = new AtomicInteger();
    /** What the tail gave this watch while following it, not delivered yet. */
    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    // The initial entries and the own cursor: written by the draining thread (one at a time, ordered by wip) while
    // the watch does not follow the tail, and by the tail when it detaches it; the volatile ones are also read by the
    // file-system watcher to decide whether a wake-up is needed.
    private int initialDelivered;
    private volatile boolean caughtUp;
    private volatile long generation;
    private volatile long position;
    private long scannedThrough;

    /** True while the tail reads for this watch; set and cleared under the tail's monitor. */
    private volatile boolean following;
    /** Revisions the watch read by itself before it joined the tail, which the tail must not give it again. */
    private long skipThrough;
    /** Why the tail could not read on: the watch ends with it once it has delivered its queue. */
    private volatile KvException failure;

    private volatile boolean closeRequested;
    private volatile boolean ended;

    EmbeddedWatch(WatchFeed feed, List<KeyFilter> filters, WatchOptions options, WatchListener listener,
                  InitialEntries initial, long generation, long position, long scannedThrough, Executor executor) {
        this.feed = feed;
        this.filters = filters;
        this.options = options;
        this.listener = listener;
        this.initial = initial;
        this.generation = generation;
        this.position = position;
        this.scannedThrough = scannedThrough;
        this.executor = executor;
        this.literalKey = filters.size() == 1 && filters.get(0).isLiteral() ? filters.get(0).pattern() : null;
    }

    /** True unless the watch reads by itself and has delivered everything up to this head. */
    boolean isBehind(long headGeneration, long headLength) {
        return !following && (!caughtUp || headGeneration != generation || headLength > position);
    }

    boolean isFollowing() {
        return following;
    }

    List<KeyFilter> filters() {
        return filters;
    }

    WatchOptions options() {
        return options;
    }

    String literalKey() {
        return literalKey;
    }

    /** How many initial entries the watch holds: all it has to deliver, none once it has delivered them. */
    int initialHeld() {
        return initial.size();
    }

    // ---- called by the tail, under its monitor

    void follow(long readThrough) {
        skipThrough = readThrough;
        following = true;
    }

    long skipThrough() {
        return skipThrough;
    }

    void enqueue(Entry e) {
        queue.add(e);
        queued.incrementAndGet();
    }

    int queued() {
        return queued.get();
    }

    /** The tail stops reading for this watch, which has been given every record through this cursor. */
    void detach(long gen, long pos, long scanned) {
        generation = gen;
        position = pos;
        scannedThrough = scanned;
        following = false; // last: the drain reads the cursor after seeing this
    }

    void fail(KvException error) {
        failure = error;
        following = false;
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
            KvException failed = failure; // read before the queue: what was queued before it is then visible
            if (deliverQueued() == BATCH || closeRequested) {
                continue; // there may be more: look at closing first
            }
            if (failed != null) {
                end(failed);
                return;
            }
            if (following) {
                return; // the tail signals when it queues more
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
                feed.delivered(e);
            }
            if (!read.more() && feed.join(this, generation, position, scannedThrough)) {
                return;
            }
            // More to read, or the tail has read further meanwhile: read on.
        }
    }

    /** Delivers up to {@link #BATCH} queued entries; returns how many it took. */
    private int deliverQueued() {
        int n = 0;
        Entry e;
        while (n < BATCH && !closeRequested && (e = queue.poll()) != null) {
            queued.decrementAndGet();
            n++;
            Entry entry = e;
            call(() -> listener.onEntry(entry));
            feed.delivered(entry);
        }
        return n;
    }

    private void deliverInitial() {
        int total = initial.size();
        while (initialDelivered < total) {
            if (closeRequested || !feed.isOpen()) {
                end(closeRequested ? null : feed.endReason());
                return;
            }
            int to = Math.min(total, initialDelivered + BATCH);
            List<Entry> batch = feed.readInitial(initial.slice(initialDelivered, to), total, initialDelivered,
                    options.metaOnly());
            initialDelivered = to;
            for (Entry e : batch) {
                call(() -> listener.onEntry(e));
            }
        }
        initial = InitialEntries.NONE;
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
