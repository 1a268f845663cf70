package dev.tend.kv.backup;

import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.StoreException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects a bucket's retained entries through a watch with history, up to its caught-up point. */
final class WatchCollector implements WatchListener, AutoCloseable {
    /** Entries in flight between the watch and the writer; bounded so a large bucket never fills the heap. */
    private static final int QUEUE_CAPACITY = 64;
    private static final Object CAUGHT_UP = new Object();
    private static final Object ENDED = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final String bucket;
    private final Watch watch;
    private volatile boolean caughtUp;
    private volatile boolean closed;
    private boolean done;

    WatchCollector(Bucket bucket) {
        this.bucket = bucket.name();
        this.watch = bucket.watch(List.of(), WatchOptions.defaults().withIncludeHistory(), this);
    }

    /** The next entry, or null once the watch has caught up. */
    Entry next() {
        if (done) {
            return null;
        }
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("backup of bucket " + bucket + " interrupted");
        }
        if (o instanceof Entry e) {
            return e;
        }
        done = true;
        if (o == CAUGHT_UP) {
            return null;
        }
        if (o instanceof KvException error) {
            throw new StoreException("backup of bucket " + bucket + " failed: " + error.getMessage(), error);
        }
        throw new StoreException("backup of bucket " + bucket + " failed: the bucket was removed or the store "
                + "closed during the backup");
    }

    private void hand(Object o) {
        try {
            while (!closed) {
                if (queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onEntry(Entry entry) {
        if (!caughtUp) {
            hand(entry);
        }
    }

    @Override
    public void onCaughtUp() {
        if (!caughtUp) {
            caughtUp = true;
            hand(CAUGHT_UP);
        }
    }

    @Override
    public void onError(KvException error) {
        if (!caughtUp) {
            caughtUp = true;
            hand(error);
        }
    }

    @Override
    public void onEnd() {
        if (!caughtUp) {
            caughtUp = true;
            hand(ENDED);
        }
    }

    @Override
    public void close() {
        closed = true;
        caughtUp = true;
        watch.close();
        queue.clear();
    }
}
