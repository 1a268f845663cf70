package dev.tend.kv;

import java.util.List;

/**
 * A bucket's configuration and what it holds now.
 *
 * @param config       the configuration
 * @param values       retained entries, history and markers included (as JetStream counts them)
 * @param bytes        bytes those entries take in the backend
 * @param lastRevision the newest revision the bucket has given out (0 when never written)
 * @param backend      which backend holds the bucket, e.g. {@code embedded} or {@code nats}
 * @param location     where: a directory for the embedded backend, a cluster for NATS
 * @param cluster      the bucket's replicas in a clustered backend, or null when not clustered
 */
public record BucketStatus(BucketConfig config, long values, long bytes, long lastRevision, String backend,
                           String location, Cluster cluster) {

    public BucketStatus {
        if (cluster != null) {
            cluster = new Cluster(cluster.name(), cluster.leader(), List.copyOf(cluster.replicas()));
        }
    }

    /** A status of a bucket that is not held by a cluster. */
    public BucketStatus(BucketConfig config, long values, long bytes, long lastRevision, String backend,
                        String location) {
        this(config, values, bytes, lastRevision, backend, location, null);
    }

    public String name() {
        return config.name();
    }

    /**
     * Where a cluster keeps the bucket.
     *
     * @param name     the cluster's name
     * @param leader   the server that leads the bucket's writes, or null while it is being elected
     * @param replicas the bucket's other servers
     */
    public record Cluster(String name, String leader, List<Peer> replicas) {
    }

    /**
     * A server holding a copy of the bucket.
     *
     * @param name    the server's name
     * @param current it has every write the leader has
     * @param offline it cannot be reached
     */
    public record Peer(String name, boolean current, boolean offline) {
    }
}
