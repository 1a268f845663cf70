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
import dev.tend.kv.NotFoundException;
import dev.tend.kv.StoreClosedException;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.UnsupportedFeatureException;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValueOptions;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A store whose buckets are JetStream KV buckets on one NATS server or cluster, reached through one connection. */
final class NatsKvStore implements KvStore {
    private static final Logger LOG = LoggerFactory.getLogger(NatsKvStore.class);

    private final NatsUrl url;
    private final Connection connection;
    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final KeyValueManagement kvManagement;
    private final BackendGuarantees guarantees;
    /**
     * The server's version when it could be read. Only the minimum is enforced; Tend uses no feature of a later
     * version (docs/cli-kv.md, Connecting to NATS, lists them).
     */
    private final Optional<NatsServerVersion> serverVersion;
    private final KeyValueOptions kvOptions;
    /** Ages delete markers for purgeDeletes; entry times themselves are the server's. */
    private final Clock clock;
    private volatile boolean closed;
    /** The store's watches: their shared consumers and threads. */
    private final NatsWatches watches = new NatsWatches(this);
    /** The listeners waiting for buckets to be created, and their one subscription. */
    private final NatsCreationNotices notices = new NatsCreationNotices(watches);

    private NatsKvStore(NatsUrl url, Connection connection, Clock clock, Optional<NatsServerVersion> serverVersion,
                        Duration requestTimeout) throws IOException {
        this.url = url;
        this.clock = clock;
        this.connection = connection;
        this.serverVersion = serverVersion;
        JetStreamOptions jsOptions = JetStreamOptions.builder().requestTimeout(requestTimeout).build();
        this.kvOptions = KeyValueOptions.builder().jetStreamOptions(jsOptions).build();
        this.jetStream = connection.jetStream(jsOptions);
        this.management = connection.jetStreamManagement(jsOptions);
        this.kvManagement = connection.keyValueManagement(kvOptions);
        // Reads are direct gets, which any replica of a clustered bucket may answer, so only a single server
        // promises that a read sees the write before it (and only for buckets without mirrors: a mirror may answer
        // its origin's direct gets too).
        boolean clustered = connection.getServerInfo().getCluster() != null;
        // Not strict on bucket size: nats-server 2.9 (the version the tests run) may drop a bucket's oldest entries
        // to fit a write near its max size instead of refusing it; no newer server is tested for this.
        // A cluster may answer a read from a replica that has not applied the write yet; a watch's ordered
        // consumer is recreated after a reconnect; restore renumbers; nats-server 2.9 makes room by dropping
        // the oldest entries (docs/nats.md, "What each backend guarantees").
        this.guarantees = BackendGuarantees.builder()
                .readYourWrites(!clustered)
                .atomicCreate(true)
                .exactlyOnceWatch(false)
                .maxReplicas(clustered ? clusterSize(connection) : 1)
                .mirrors(true)
                .memoryStorage(true)
                .preservesRevisions(false)
                .strictBucketSize(false)
                .build();
    }

    /**
     * The most replicas the cluster can hold: its servers as the connected one advertises them to clients (none
     * when advertising is off), at most {@link BucketConfig#MAX_REPLICAS}.
     */
    private static int clusterSize(Connection connection) {
        List<String> urls = connection.getServerInfo().getConnectURLs();
        int size = urls == null ? 0 : urls.size();
        return size < 2 ? BucketConfig.MAX_REPLICAS : Math.min(size, BucketConfig.MAX_REPLICAS);
    }

    static NatsKvStore connect(NatsUrl url, ConnectionOptions options, Clock clock) {
        Connection connection = NatsConnections.connect(url, options);
        try {
            if (!connection.getServerInfo().isJetStreamAvailable()) {
                throw new StoreException("the NATS server at " + url.redacted() + " has no JetStream: start it with"
                        + " -js (or jetstream {} in its config)");
            }
            Optional<NatsServerVersion> version = NatsServerVersion.require(connection.getServerInfo().getVersion(),
                    url.redacted());
            return new NatsKvStore(url, connection, clock, version, options.requestTimeout());
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
                return handle(config);
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
            throw NatsErrors.forBucketConfig(config, e);
        } catch (IOException e) {
            throw ioFailure("create bucket " + config.name(), e);
        }
        return handle(config);
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
            throw NatsErrors.forBucketConfig(config, e);
        } catch (IOException e) {
            throw ioFailure("update bucket " + config.name(), e);
        }
        return handle(config);
    }

    @Override
    public Bucket bucket(String name) {
        checkOpen();
        Names.checkBucketName(name);
        BucketConfig config = configOf(name);
        if (config == null) {
            throw new UnknownBucketException(name);
        }
        return handle(config);
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
        if (config.mirror() != null) {
            // A mirror takes its entries from its origin, never from a backup.
            throw new UnsupportedFeatureException("cannot restore bucket " + config.name() + ": it is a read replica"
                    + " of " + config.mirror() + "; restore " + config.mirror() + ", then add " + config.name()
                    + " with --mirror " + config.mirror());
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
    public CreationNotice whenCreated(String name, Runnable listener) {
        checkOpen();
        Names.checkBucketName(name);
        return notices.add(name, listener);
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
            watches.close();
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

    /** The server's version, when it could be read. */
    Optional<NatsServerVersion> serverVersion() {
        return serverVersion;
    }

    Clock clock() {
        return clock;
    }

    NatsCreationNotices notices() {
        return notices;
    }

    NatsWatches watches() {
        return watches;
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

    private Bucket handle(BucketConfig config) {
        try {
            return new NatsBucket(this, config.name(), connection.keyValue(config.name(), kvOptions),
                    config.mirror());
        } catch (IOException e) {
            throw ioFailure("open bucket " + config.name(), e);
        }
    }

    /**
     * Refuses what this server cannot hold before asking it: replicas on a single server, and a mirror of a bucket
     * that does not exist (the server would create it and let it wait for the origin). A cluster with fewer
     * servers than the replicas is refused by the server itself ({@link NatsErrors#forBucketConfig}).
     */
    private void checkSupported(BucketConfig config) {
        if (config.mirror() != null && !exists(config.mirror())) {
            throw new NotFoundException("bucket " + config.name() + " cannot mirror " + config.mirror()
                    + ": unknown bucket " + config.mirror());
        }
        if (config.replicas() > 1 && connection.getServerInfo().getCluster() == null) {
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
