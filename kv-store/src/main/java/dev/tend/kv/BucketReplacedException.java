package dev.tend.kv;

/**
 * The bucket a watch followed was removed or replaced other than through the store it was opened with, so the watch
 * cannot know what was written meanwhile and ends with this instead of going quiet: on the embedded store its directory
 * was deleted or swapped for another ({@code rm -rf}, a restore into a fresh directory); on NATS the bucket was deleted
 * and created again between two of the watch's checks. A removal it saw happen ({@link KvStore#delete}, {@code tend kv
 * rm}) ends a watch with {@link WatchListener#onEnd()} instead. Watch the bucket again to follow the new one.
 */
public class BucketReplacedException extends StoreException {
    private final String bucket;

    public BucketReplacedException(String bucket) {
        super("bucket " + bucket + " was removed or replaced while watching");
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }
}
