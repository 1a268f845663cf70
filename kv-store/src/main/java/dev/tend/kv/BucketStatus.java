package dev.tend.kv;

/**
 * A bucket's configuration and what it holds now.
 *
 * @param config       the configuration
 * @param values       retained entries, history and markers included (as JetStream counts them)
 * @param bytes        bytes those entries take in the backend
 * @param lastRevision the newest revision the bucket has given out (0 when never written)
 * @param backend      which backend holds the bucket, e.g. {@code embedded} or {@code nats}
 * @param location     where: a directory for the embedded backend, a cluster for NATS
 */
public record BucketStatus(BucketConfig config, long values, long bytes, long lastRevision, String backend,
                           String location) {

    public String name() {
        return config.name();
    }
}
