package dev.tend.kv.nats;

import dev.tend.kv.BucketReplacedException;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.support.DaemonThreads;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The watches of one NATS store: one jnats dispatcher (one thread) reads every consumer they use, one
 * {@link NatsBucketTail} per bucket reads its new entries for all of them, and their listeners are called on at most
 * {@link #WATCH_THREADS} threads named {@code tend-nats-watch-<n>}, one lane per watch. All started on the first watch.
 */
final class NatsWatches implements AutoCloseable {
    /** The threads the watches' listeners (and the tails' checks) run on, whatever the number of watches. */
    static final int WATCH_THREADS = 4;

    private final NatsKvStore store;
    // Guarded by this.
    private final Map<String, NatsBucketTail> tails = new HashMap<>();
    private Dispatcher dispatcher;
    private ScheduledThreadPoolExecutor threads;
    private boolean closed;

    NatsWatches(NatsKvStore store) {
        this.store = store;
    }

    /** Starts a watch of {@code bucket}: it joins the bucket's tail, then reads its initial entries. */
    Watch watch(NatsBucket bucket, List<KeyFilter> filters, WatchOptions options, WatchListener listener)
            throws IOException, JetStreamApiException {
        for (int attempt = 1; ; attempt++) {
            NatsBucketTail tail = tail(bucket);
            NatsWatch w = new NatsWatch(this, store, bucket, filters, options, listener);
            if (tail.add(w) && w.start(tail)) {
                return w;
            }
            // The stream was replaced since the tail was made (that tail's watches end), or it ended meanwhile.
            if (attempt == 3) {
                throw new BucketReplacedException(bucket.name());
            }
        }
    }

    /** The bucket's tail, made (with a lookup of the bucket) when it has none. */
    private NatsBucketTail tail(NatsBucket bucket) throws IOException, JetStreamApiException {
        synchronized (this) {
            if (closed) {
                throw new StoreClosedException("the NATS store " + store.url() + " is closed");
            }
            String id = id(bucket);
            NatsBucketTail tail = tails.get(id);
            if (tail == null) {
                tail = NatsBucketTail.open(this, store, bucket, NatsWatch.stream(store, bucket), dispatcher());
                tails.put(id, tail);
            }
            return tail;
        }
    }

    /** A stream and the subjects read from it: a mirror's handle reads its own stream. */
    private static String id(NatsBucket bucket) {
        return bucket.streamName() + " " + bucket.readPrefix();
    }

    synchronized void removed(NatsBucketTail tail) {
        tails.values().remove(tail);
    }

    synchronized Dispatcher dispatcher() {
        if (dispatcher == null) {
            dispatcher = store.connection().createDispatcher();
        }
        return dispatcher;
    }

    /** The watch threads: the listeners' lanes and the tails' checks. */
    synchronized ScheduledExecutorService scheduler() {
        if (threads == null) {
            threads = new ScheduledThreadPoolExecutor(WATCH_THREADS, new DaemonThreads("tend-nats-watch"));
            threads.setKeepAliveTime(30, TimeUnit.SECONDS);
            threads.allowCoreThreadTimeOut(true);
            threads.setRemoveOnCancelPolicy(true);
        }
        return threads;
    }

    /** Ends every watch cleanly (the store closes), then lets their lanes deliver the end for up to 2 s. */
    @Override
    public void close() {
        List<NatsBucketTail> all;
        ScheduledThreadPoolExecutor started;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(tails.values());
            started = threads;
        }
        for (NatsBucketTail t : all) {
            t.end(null);
        }
        if (started != null) {
            started.shutdown();
            try {
                started.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
