package dev.tend.kv.nats;

import dev.tend.kv.BackendGuarantees;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketExistsException;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.Entry;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.UnsupportedFeatureException;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** A store whose buckets are JetStream KV buckets on one NATS server or cluster, reached through one connection. */
final class NatsKvStore implements KvStore {
    private static final Logger LOG = LoggerFactory.getLogger(NatsKvStore.class);

    private final NatsUrl url;
    private final Connection connection;
    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final KeyValueManagement kvManagement;
    private final BackendGuarantees guarantees;
    /** Ages delete markers for purgeDeletes; entry times themselves are the server's. */
    private final Clock clock;
    private volatile boolean closed;

    private NatsKvStore(NatsUrl url, Connection connection, Clock clock) throws IOException {
        this.url = url;
        this.clock = clock;
        this.connection = connection;
        this.jetStream = connection.jetStream();
        this.management = connection.jetStreamManagement();
        this.kvManagement = connection.keyValueManagement();
        // Reads are direct gets, which any replica of a clustered bucket may answer, so only a single server
        // promises that a read sees the write before it.
        boolean clustered = connection.getServerInfo().getCluster() != null;
        // Not strict on bucket size: nats-server 2.9 (the version tested) may drop a bucket's oldest entries to fit
        // a write near its max size instead of refusing it; newer servers are not verified yet.
        this.guarantees = new BackendGuarantees(!clustered, true, false, clustered ? BucketConfig.MAX_REPLICAS : 1,
                false, true, false, false);
    }

    static NatsKvStore connect(NatsUrl url, ConnectionOptions options, Clock clock) {
        Connection connection = NatsConnections.connect(url, options);
        try {
            if (!connection.getServerInfo().isJetStreamAvailable()) {
                throw new StoreException("the NATS server at " + url.redacted() + " has no JetStream: start it with"
                        + " -js (or jetstream {} in its config)");
            }
            return new NatsKvStore(url, connection, clock);
        } catch (IOException | RuntimeException e) {
            closeQuietly(connection);
            if (e instanceof KvException k) {
                throw k;
            }
            throw new StoreException("cannot use JetStream at " + url.redacted() + ": " + NatsErrors.oneLine(e), e);
        }
    }

    @Override
    public Bucket create(BucketConfig config) {
        checkOpen();
        checkSupported(config);
        BucketConfig existing = configOf(config.name());
        if (existing != null) {
            if (existing.equals(config)) {
                return handle(config.name());
            }
            throw new BucketExistsException("bucket " + config.name() + " exists with another config: "
                    + "update it instead, or delete it first");
        }
        try {
            kvManagement.create(NatsConfigs.toNats(config));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.STREAM_NAME_IN_USE) {
                throw new BucketExistsException("bucket " + config.name() + " exists with another config", e);
            }
            throw NatsErrors.forBucketConfig(config.name(), e);
        } catch (IOException e) {
            throw ioFailure("create bucket " + config.name(), e);
        }
        return handle(config.name());
    }

    @Override
    public Bucket update(BucketConfig config) {
        checkOpen();
        checkSupported(config);
        KeyValueStatus existing = statusOf(config.name());
        if (existing == null) {
            throw new UnknownBucketException(config.name());
        }
        try {
            kvManagement.update(NatsConfigs.toNats(config, existing.getConfiguration()));
        } catch (JetStreamApiException e) {
            if (NatsErrors.isStreamNotFound(e)) {
                throw new UnknownBucketException(config.name());
            }
            throw NatsErrors.forBucketConfig(config.name(), e);
        } catch (IOException e) {
            throw ioFailure("update bucket " + config.name(), e);
        }
        return handle(config.name());
    }

    @Override
    public Bucket bucket(String name) {
        checkOpen();
        Names.checkBucketName(name);
        if (!exists(name)) {
            throw new UnknownBucketException(name);
        }
        return handle(name);
    }

    @Override
    public boolean exists(String name) {
        return configOf(Names.checkBucketName(name)) != null;
    }

    @Override
    public List<String> bucketNames() {
        checkOpen();
        try {
            List<String> names = new ArrayList<>(kvManagement.getBucketNames());
            names.sort(null);
            return names;
        } catch (JetStreamApiException e) {
            throw NatsErrors.forOperation("list buckets", e);
        } catch (IOException e) {
            throw ioFailure("list buckets", e);
        }
    }

    @Override
    public void delete(String name) {
        checkOpen();
        Names.checkBucketName(name);
        try {
            kvManagement.delete(name);
        } catch (JetStreamApiException e) {
            if (NatsErrors.isStreamNotFound(e)) {
                throw new UnknownBucketException(name);
            }
            throw NatsErrors.forOperation("delete bucket " + name, e);
        } catch (IOException e) {
            throw ioFailure("delete bucket " + name, e);
        }
    }

    @Override
    public Bucket restore(BucketConfig config, Iterable<Entry> entries) {
        checkOpen();
        checkSupported(config);
        if (exists(config.name())) {
            throw new BucketExistsException("cannot restore bucket " + config.name() + ": it exists; delete it first");
        }
        NatsBucket bucket = (NatsBucket) create(config);
        try {
            // JetStream gives out its own sequence numbers, so the entries are written in order with new revisions.
            long previous = 0;
            for (Entry e : entries) {
                if (!e.bucket().equals(config.name())) {
                    throw new InvalidInputException("cannot restore bucket " + config.name()
                            + ": the backup has an entry of bucket " + e.bucket());
                }
                if (e.revision() <= previous) {
                    throw new InvalidInputException("cannot restore bucket " + config.name()
                            + ": revision " + e.revision() + " follows revision " + previous);
                }
                previous = e.revision();
                bucket.restoreEntry(e);
            }
        } catch (RuntimeException e) {
            // Leave no half-restored bucket behind.
            try {
                kvManagement.delete(config.name());
            } catch (IOException | JetStreamApiException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        return bucket;
    }

    @Override
    public BackendGuarantees guarantees() {
        return guarantees;
    }

    @Override
    public String backend() {
        return "nats";
    }

    @Override
    public String url() {
        return url.redacted();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(connection);
        }
    }

    // ---- for buckets

    /** The bucket's config, or null when it does not exist. */
    BucketConfig configOf(String name) {
        KeyValueStatus status = statusOf(name);
        return status == null ? null : NatsConfigs.fromNats(status);
    }

    /** The bucket's status as JetStream reports it, or null when it does not exist. */
    KeyValueStatus statusOf(String name) {
        checkOpen();
        try {
            return kvManagement.getStatus(name);
        } catch (JetStreamApiException e) {
            if (NatsErrors.isStreamNotFound(e)) {
                return null;
            }
            throw NatsErrors.forOperation("read bucket " + name, e);
        } catch (IOException e) {
            throw ioFailure("read bucket " + name, e);
        }
    }

    void checkOpen() {
        if (closed) {
            throw new StoreClosedException("the NATS store " + url.redacted() + " is closed");
        }
    }

    boolean isClosed() {
        return closed;
    }

    Clock clock() {
        return clock;
    }

    JetStream jetStream() {
        return jetStream;
    }

    JetStreamManagement management() {
        return management;
    }

    Connection connection() {
        return connection;
    }

    String location() {
        String cluster = connection.getServerInfo().getCluster();
        return cluster == null ? url.redacted() : url.redacted() + " (cluster " + cluster + ")";
    }

    StoreException ioFailure(String what, Exception e) {
        if (closed) {
            return new StoreClosedException("the NATS store " + url.redacted() + " is closed");
        }
        return new StoreException("could not " + what + " on NATS at " + url.redacted() + ": "
                + NatsErrors.oneLine(e), e);
    }

    private Bucket handle(String name) {
        try {
            return new NatsBucket(this, name, connection.keyValue(name));
        } catch (IOException e) {
            throw ioFailure("open bucket " + name, e);
        }
    }

    private void checkSupported(BucketConfig config) {
        if (config.mirror() != null) {
            throw new UnsupportedFeatureException("bucket " + config.name() + ": mirror buckets on NATS are not"
                    + " available yet in this build of Tend");
        }
        if (config.replicas() > guarantees.maxReplicas()) {
            throw new UnsupportedFeatureException("bucket " + config.name() + ": " + config.replicas()
                    + " replicas need a clustered NATS server; " + url.redacted() + " is a single server");
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("closing the NATS connection failed", e);
        }
    }
}
