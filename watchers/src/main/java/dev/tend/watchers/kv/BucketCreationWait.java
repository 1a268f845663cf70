package dev.tend.watchers.kv;

import dev.tend.kv.KvStore;
import dev.tend.machine.spi.WatcherContext;

import java.util.concurrent.RejectedExecutionException;

/**
 * While a kv watcher waits for its bucket to exist: the store's notice of the bucket's creation
 * ({@link KvStore#whenCreated}), handed to the watcher's lane, so that the watcher looks again at once instead of at
 * its next timed look. The timed looks go on regardless: a notice may be missed, or the store may give none. Used on
 * the watcher's lane only.
 */
final class BucketCreationWait {
    private final WatcherContext context;
    private final String bucket;
    /** Runs on the lane when the store says the bucket was created. */
    private final Runnable created;
    private KvStore.CreationNotice notice;

    BucketCreationWait(WatcherContext context, String bucket, Runnable created) {
        this.context = context;
        this.bucket = bucket;
        this.created = created;
    }

    /** The bucket is missing: asks the store to tell its creation, unless already asked. */
    void waiting() {
        if (notice != null) {
            return;
        }
        try {
            notice = context.store().whenCreated(bucket, () -> {
                try {
                    context.lane().execute(created);
                } catch (RejectedExecutionException e) { // the agent is shutting down
                    context.logger().debug("bucket {} was created while the agent shuts down", bucket);
                }
            });
        } catch (RuntimeException e) { // the store is unavailable or closed: the timed looks remain
            context.logger().debug("no notice of bucket {}'s creation: {}", bucket, KvWatcherFactory.describe(e));
        }
    }

    /** No longer waiting (found, inactive, stopped): the store stops telling. */
    void done() {
        if (notice != null) {
            KvStore.CreationNotice n = notice;
            notice = null;
            n.close();
        }
    }
}
