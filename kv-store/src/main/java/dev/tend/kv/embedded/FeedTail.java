package dev.tend.kv.embedded;

import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.StoreException;
import dev.tend.kv.WatchOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared reader of one bucket's log in this process. The watches that have read as far as it has follow it: on
 * each wake-up it reads what was committed past its cursor once, and hands each record to the followers whose filters
 * match (a map by key for watches of one literal key, a scan of the others), each into its watch's queue; the watches
 * deliver from their queues on the watch executor, each one drain at a time, so ordering per watch holds.
 *
 * <p>A watch reads with a cursor of its own while it catches up (its initial entries, or after falling behind) and joins
 * the tail once it has read as far ({@link #join}). A follower whose listener lets more than {@link #MAX_QUEUED}
 * entries pile up is detached at the tail's position and goes on with its own cursor: a slow listener holds at most
 * that many entries in memory, and delays nothing but its own watch.
 *
 * <p>Its monitor guards the followers and the cursor; it is a leaf (see the package's lock order): the log is read
 * under the view's read lock before it is taken.
 */
final class FeedTail {
    private static final LazyLogger LOG = new LazyLogger(FeedTail.class);
    /** Entries a follower may have queued, not yet delivered, before it is detached. */
    static final int MAX_QUEUED = 1024;
    private static final List<KeyFilter> EVERY_KEY = List.of(KeyFilter.ALL);

    private final WatchFeed feed;
    private final Executor executor;
    private final AtomicInteger wip = new AtomicInteger();

    // Guarded by this.
    private final Map<String, Set<EmbeddedWatch>> byKey = new HashMap<>();
    private final Set<EmbeddedWatch> others = new LinkedHashSet<>();
    private int followers;
    private boolean positioned;
    private long generation;
    private long position;
    private long scannedThrough;

    FeedTail(WatchFeed feed, Executor executor) {
        this.feed = feed;
        this.executor = executor;
    }

    /**
     * Makes {@code w}, which has read through revision {@code scanned} (at {@code position} of generation
     * {@code gen}), a follower, unless the tail has read further: then false, and the watch reads on by itself. A tail
     * with no follower starts at the watch's cursor.
     */
    synchronized boolean join(EmbeddedWatch w, long gen, long pos, long scanned) {
        if (!positioned) {
            generation = gen;
            position = pos;
            scannedThrough = scanned;
            positioned = true;
        } else if (scanned < scannedThrough) {
            return false;
        }
        w.follow(scanned);
        String key = w.literalKey();
        if (key != null) {
            byKey.computeIfAbsent(key, k -> new HashSet<>()).add(w);
        } else {
            others.add(w);
        }
        followers++;
        return true;
    }

    /** Takes {@code w} out of the followers, if it is one (it ended, or is detached). */
    synchronized void leave(EmbeddedWatch w) {
        boolean removed;
        String key = w.literalKey();
        if (key != null) {
            Set<EmbeddedWatch> s = byKey.get(key);
            removed = s != null && s.remove(w);
            if (s != null && s.isEmpty()) {
                byKey.remove(key);
            }
        } else {
            removed = others.remove(w);
        }
        if (removed && --followers == 0) {
            positioned = false; // the next watch to join places it: nothing reads for nobody
        }
    }

    /** True when the tail has followers and has not read up to this head. */
    synchronized boolean isBehind(long headGeneration, long headLength) {
        return positioned && (headGeneration != generation || headLength > position);
    }

    /** Asks for a read: new records may have been committed. */
    void signal() {
        if (wip.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                wip.set(0);
                wakeFollowers(); // the store is closing: each ends by itself
            }
        }
    }

    private void drain() {
        int missed = 1;
        do {
            readAll();
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void readAll() {
        while (true) {
            long gen;
            long pos;
            long scanned;
            synchronized (this) {
                if (!positioned) {
                    return;
                }
                gen = generation;
                pos = position;
                scanned = scannedThrough;
            }
            WatchFeed.Read read;
            try {
                read = feed.read(gen, pos, scanned, EVERY_KEY, WatchOptions.defaults(), EmbeddedWatch.BATCH);
            } catch (KvException e) {
                failFollowers(e);
                return;
            } catch (RuntimeException e) {
                LOG.get().warn("reading bucket {} for its watches failed", feed.bucket(), e);
                failFollowers(new StoreException("watch on bucket " + feed.bucket() + " failed: " + e));
                return;
            }
            if (read == null) {
                wakeFollowers(); // the bucket is gone or the store closed: each ends by itself
                return;
            }
            List<EmbeddedWatch> touched = new ArrayList<>();
            synchronized (this) {
                if (!positioned || gen != generation || pos != position || scanned != scannedThrough) {
                    continue; // every follower left meanwhile, and a new one placed the tail elsewhere
                }
                Set<EmbeddedWatch> given = new HashSet<>();
                for (Entry e : read.entries()) {
                    fanOut(e, given);
                }
                generation = read.generation();
                position = read.position();
                scannedThrough = read.scannedThrough();
                for (EmbeddedWatch w : given) {
                    if (w.queued() > MAX_QUEUED) {
                        leave(w);
                        w.detach(generation, position, scannedThrough);
                    }
                }
                touched.addAll(given);
            }
            for (EmbeddedWatch w : touched) {
                w.signal();
            }
            if (!read.more()) {
                return;
            }
        }
    }

    /** Gives {@code e} to every follower that wants it. Monitor held. */
    private void fanOut(Entry e, Set<EmbeddedWatch> given) {
        Set<EmbeddedWatch> exact = byKey.get(e.key());
        if (exact != null) {
            for (EmbeddedWatch w : exact) {
                give(w, e, given);
            }
        }
        for (EmbeddedWatch w : others) {
            if (KeyFilter.anyMatches(w.filters(), e.key())) {
                give(w, e, given);
            }
        }
    }

    private static void give(EmbeddedWatch w, Entry e, Set<EmbeddedWatch> given) {
        WatchOptions o = w.options();
        if (e.revision() <= w.skipThrough() || (o.ignoreDeletes() && e.operation().isMarker())) {
            return;
        }
        // Each watch gets its own copy of the value, so that no listener sees another's changes to the array.
        byte[] value = o.metaOnly() ? new byte[0] : e.value().clone();
        w.enqueue(new Entry(e.bucket(), e.key(), value, e.revision(), e.created(), 0, e.operation()));
        given.add(w);
    }

    /** The tail could not read: every follower ends with {@code error}, after what it was given. */
    private void failFollowers(KvException error) {
        List<EmbeddedWatch> all;
        synchronized (this) {
            all = followersLocked();
            byKey.clear();
            others.clear();
            followers = 0;
            positioned = false;
            for (EmbeddedWatch w : all) {
                w.fail(error);
            }
        }
        for (EmbeddedWatch w : all) {
            w.signal();
        }
    }

    private void wakeFollowers() {
        List<EmbeddedWatch> all;
        synchronized (this) {
            all = followersLocked();
        }
        for (EmbeddedWatch w : all) {
            w.signal();
        }
    }

    private List<EmbeddedWatch> followersLocked() {
        List<EmbeddedWatch> all = new ArrayList<>(followers);
        for (Set<EmbeddedWatch> s : byKey.values()) {
            all.addAll(s);
        }
        all.addAll(others);
        return all;
    }
}
