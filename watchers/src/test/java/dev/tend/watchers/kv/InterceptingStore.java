package dev.tend.watchers.kv;

import dev.tend.kv.BackendGuarantees;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real store seen through a thin wrapper that remembers every watch started on it, so a test can end the latest one
 * the way the store ends a watch (a {@code FellBehindException}, or the end of a removed bucket or closed store), which
 * a real store does only after a compaction race or a shutdown.
 */
final class InterceptingStore implements KvStore {

    /** A watch and its watcher's listener; once {@code ended}, the real watch's deliveries no longer reach it. */
    private record Started(Watch watch, WatchListener listener, AtomicBoolean ended) {
    }

    private final KvStore delegate;
    private final List<Started> watches = new ArrayList<>();
    private int looks;

    InterceptingStore(KvStore delegate) {
        this.delegate = delegate;
    }

    synchronized int watchesStarted() {
        return watches.size();
    }

    /**
     * Ends the latest watch as the store would: the watcher's listener hears nothing more from it but its end
     * ({@code onError} with {@code error}, or {@code onEnd} when null), on the calling thread.
     */
    void endLatestWatch(KvException error) {
        Started latest;
        synchronized (this) {
            latest = watches.get(watches.size() - 1);
        }
        latest.ended().set(true);
        latest.watch().close();
        if (error == null) {
            latest.listener().onEnd();
        } else {
            latest.listener().onError(error);
        }
    }

    /** The number of {@link #bucket} calls: a watcher's looks for its bucket. */
    synchronized int looks() {
        return looks;
    }

    @Override
    public Bucket bucket(String name) {
        synchronized (this) {
            looks++;
        }
        return new InterceptingBucket(delegate.bucket(name));
    }

    @Override
    public Bucket create(BucketConfig config) {
        return delegate.create(config);
    }

    @Override
    public Bucket update(BucketConfig config) {
        return delegate.update(config);
    }

    @Override
    public boolean exists(String name) {
        return delegate.exists(name);
    }

    @Override
    public List<String> bucketNames() {
        return delegate.bucketNames();
    }

    @Override
    public void delete(String name) {
        delegate.delete(name);
    }

    @Override
    public Bucket restore(BucketConfig config, Iterable<Entry> entries) {
        return delegate.restore(config, entries);
    }

    @Override
    public CreationNotice whenCreated(String name, Runnable listener) {
        return delegate.whenCreated(name, listener);
    }

    @Override
    public BackendGuarantees guarantees() {
        return delegate.guarantees();
    }

    @Override
    public String backend() {
        return delegate.backend();
    }

    @Override
    public String url() {
        return delegate.url();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private final class InterceptingBucket implements Bucket {
        private final Bucket bucket;

        InterceptingBucket(Bucket bucket) {
            this.bucket = bucket;
        }

        @Override
        public Watch watch(List<String> filters, WatchOptions options, WatchListener listener) {
            // Remember the watch before it can deliver anything, so a test never sees a watch it cannot end.
            synchronized (InterceptingStore.this) {
                AtomicBoolean ended = new AtomicBoolean();
                Watch w = bucket.watch(filters, options, new WatchListener() {
                    @Override
                    public void onEntry(Entry entry) {
                        if (!ended.get()) {
                            listener.onEntry(entry);
                        }
                    }

                    @Override
                    public void onCaughtUp() {
                        if (!ended.get()) {
                            listener.onCaughtUp();
                        }
                    }

                    @Override
                    public void onError(KvException error) {
                        if (!ended.get()) {
                            listener.onError(error);
                        }
                    }

                    @Override
                    public void onEnd() {
                        if (!ended.get()) {
                            listener.onEnd();
                        }
                    }
                });
                watches.add(new Started(w, listener, ended));
                return w;
            }
        }

        @Override
        public String name() {
            return bucket.name();
        }

        @Override
        public long put(String key, byte[] value) {
            return bucket.put(key, value);
        }

        @Override
        public long create(String key, byte[] value) {
            return bucket.create(key, value);
        }

        @Override
        public long update(String key, byte[] value, long expectedRevision) {
            return bucket.update(key, value, expectedRevision);
        }

        @Override
        public Optional<Entry> get(String key) {
            return bucket.get(key);
        }

        @Override
        public Optional<Entry> get(String key, long revision) {
            return bucket.get(key, revision);
        }

        @Override
        public long delete(String key) {
            return bucket.delete(key);
        }

        @Override
        public long delete(String key, long expectedRevision) {
            return bucket.delete(key, expectedRevision);
        }

        @Override
        public long purge(String key) {
            return bucket.purge(key);
        }

        @Override
        public long purge(String key, long expectedRevision) {
            return bucket.purge(key, expectedRevision);
        }

        @Override
        public List<Entry> history(String key) {
            return bucket.history(key);
        }

        @Override
        public List<String> keys(List<String> filters) {
            return bucket.keys(filters);
        }

        @Override
        public long purgeDeletes(Duration olderThan) {
            return bucket.purgeDeletes(olderThan);
        }

        @Override
        public void purgeAll() {
            bucket.purgeAll();
        }

        @Override
        public BucketStatus status() {
            return bucket.status();
        }
    }
}
