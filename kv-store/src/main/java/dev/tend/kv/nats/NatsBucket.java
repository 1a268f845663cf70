package dev.tend.kv.nats;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.Names;
import dev.tend.kv.Operation;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.UnsupportedFeatureException;
import dev.tend.kv.ValueTooLargeException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import dev.tend.kv.WrongRevisionException;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.PurgeOptions;
import io.nats.client.api.ClusterInfo;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.Replica;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * A JetStream KV bucket. Writes are published to {@code $KV.<bucket>.<key>} with the standard KV headers
 * ({@code KV-Operation: DEL} or {@code PURGE}, and {@code Nats-Rollup: sub} for a purge, as jnats writes them) so
 * the marker's revision comes back in the publish acknowledgement; reads go through jnats' {@link KeyValue}.
 * <p>
 * A mirror bucket (a read replica) serves its origin's entries from its own stream, through {@link NatsMirrorReads},
 * and refuses writes. jnats and the {@code nats} tool would send them to the origin instead, but then a write
 * through the mirror would not be readable through it at once, and its revision would be the origin's: the user is
 * told to write to the origin.
 */
final class NatsBucket implements Bucket {
    private static final String OPERATION_HEADER = "KV-Operation";
    private static final String ROLLUP_HEADER = "Nats-Rollup";
    private static final String EXPECTED_LAST_SUBJECT_SEQUENCE = "Nats-Expected-Last-Subject-Sequence";
    /** No compare-and-set condition. */
    private static final long ANY_REVISION = -1;
    /** How often create retries when a marker it wants to replace is replaced first. */
    private static final int CREATE_ATTEMPTS = 5;

    private final NatsKvStore store;
    private final String name;
    private final String stream;
    private final KeyValue kv;
    /** The bucket this one mirrors, or null. */
    private final String origin;
    /** Reads for a mirror, or null. */
    private final NatsMirrorReads mirrorReads;

    NatsBucket(NatsKvStore store, String name, KeyValue kv, String origin) {
        this.store = store;
        this.name = name;
        this.stream = NatsConfigs.streamName(name);
        this.kv = kv;
        this.origin = origin;
        this.mirrorReads = origin == null ? null : new NatsMirrorReads(store, name, origin);
    }

    @Override
    public String name() {
        return name;
    }

    // ---- writes

    @Override
    public long put(String key, byte[] value) {
        return write(Names.checkKey(key), value, Operation.PUT, ANY_REVISION);
    }

    @Override
    public long create(String key, byte[] value) {
        Names.checkKey(key);
        long expected = 0;
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            try {
                return write(key, value, Operation.PUT, expected);
            } catch (KeyExistsException e) {
                throw e;
            } catch (WrongRevisionException e) {
                // The key has entries: create may still replace a delete or purge marker, on its revision only.
                long latest = e.actual();
                if (!isMarker(key, latest)) {
                    throw new KeyExistsException(name, key, latest);
                }
                expected = latest;
            }
        }
        throw new StoreException("create of key \"" + key + "\" in bucket " + name
                + " kept racing with other writes; try again");
    }

    @Override
    public long update(String key, byte[] value, long expectedRevision) {
        return write(Names.checkKey(key), value, Operation.PUT, checkRevision(expectedRevision));
    }

    @Override
    public long delete(String key) {
        return write(Names.checkKey(key), null, Operation.DEL, ANY_REVISION);
    }

    @Override
    public long delete(String key, long expectedRevision) {
        return write(Names.checkKey(key), null, Operation.DEL, checkRevision(expectedRevision));
    }

    @Override
    public long purge(String key) {
        return write(Names.checkKey(key), null, Operation.PURGE, ANY_REVISION);
    }

    @Override
    public long purge(String key, long expectedRevision) {
        return write(Names.checkKey(key), null, Operation.PURGE, checkRevision(expectedRevision));
    }

    /** Writes a backed-up entry as a new write of the same kind. */
    long restoreEntry(Entry e) {
        return write(Names.checkKey(e.key()), e.operation() == Operation.PUT ? e.value() : null, e.operation(),
                ANY_REVISION);
    }

    private static long checkRevision(long expectedRevision) {
        if (expectedRevision < 0) {
            throw new InvalidInputException("an expected revision must be 0 or positive, not "
                    + expectedRevision);
        }
        return expectedRevision;
    }

    private long write(String key, byte[] value, Operation operation, long expectedRevision) {
        store.checkOpen();
        checkWritable();
        Headers headers = new Headers();
        if (operation == Operation.DEL) {
            headers.put(OPERATION_HEADER, "DEL");
        } else if (operation == Operation.PURGE) {
            headers.put(OPERATION_HEADER, "PURGE");
            headers.put(ROLLUP_HEADER, "sub");
        }
        if (expectedRevision != ANY_REVISION) {
            headers.put(EXPECTED_LAST_SUBJECT_SEQUENCE, Long.toString(expectedRevision));
        }
        try {
            return store.jetStream().publish(subject(key), headers.isEmpty() ? null : headers,
                    value == null ? new byte[0] : value).getSeqno();
        } catch (JetStreamApiException e) {
            OptionalLong actual = NatsErrors.wrongLastSequence(e);
            if (actual.isPresent()) {
                throw new WrongRevisionException(name, key, expectedRevision, actual.getAsLong());
            }
            if (NatsErrors.isStreamNotFound(e)) {
                throw new UnknownBucketException(name);
            }
            throw NatsErrors.forWrite(name, key, e);
        } catch (IllegalArgumentException e) {
            // jnats refuses a message over the server's max payload before sending it.
            throw new ValueTooLargeException("value for key \"" + key + "\" is larger than the NATS server's max"
                    + " payload", e);
        } catch (IOException | RuntimeException e) {
            throw failure("write key \"" + key + "\"", e);
        }
    }

    private void checkWritable() {
        if (origin != null) {
            throw new UnsupportedFeatureException("bucket " + name + " is a read replica of " + origin + ": write to "
                    + origin);
        }
    }

    /** True when the entry at {@code revision} is a delete or purge marker of the key. */
    private boolean isMarker(String key, long revision) {
        try {
            MessageInfo info = store.management().getMessage(stream, revision);
            return subject(key).equals(info.getSubject()) && info.getHeaders() != null
                    && info.getHeaders().getFirst(OPERATION_HEADER) != null;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.NO_MESSAGE_FOUND) {
                return false;
            }
            throw NatsErrors.forOperation("read revision " + revision + " of bucket " + name, e);
        } catch (IOException | RuntimeException e) {
            throw failure("read key \"" + key + "\"", e);
        }
    }

    // ---- reads

    @Override
    public Optional<Entry> get(String key) {
        Names.checkKey(key);
        store.checkOpen();
        try {
            KeyValueEntry latest = mirrorReads == null ? kv.get(key) : putOnly(mirrorReads.last(key));
            return Optional.ofNullable(latest).map(e -> toEntry(e, 0));
        } catch (JetStreamApiException e) {
            throw apiFailure("read key \"" + key + "\"", e);
        } catch (IOException | RuntimeException e) {
            throw failure("read key \"" + key + "\"", e);
        }
    }

    @Override
    public Optional<Entry> get(String key, long revision) {
        Names.checkKey(key);
        store.checkOpen();
        if (revision <= 0) {
            return Optional.empty();
        }
        try {
            KeyValueEntry at = mirrorReads == null ? kv.get(key, revision) : putOnly(mirrorReads.at(key, revision));
            return Optional.ofNullable(at).map(e -> toEntry(e, 0))
                    .filter(e -> e.operation() == Operation.PUT && e.revision() == revision);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.NO_MESSAGE_FOUND) {
                return Optional.empty();
            }
            throw apiFailure("read revision " + revision + " of key \"" + key + "\"", e);
        } catch (IOException | RuntimeException e) {
            throw failure("read revision " + revision + " of key \"" + key + "\"", e);
        }
    }

    @Override
    public List<Entry> history(String key) {
        Names.checkKey(key);
        store.checkOpen();
        try {
            List<Entry> out = new ArrayList<>();
            for (KeyValueEntry e : mirrorReads == null ? kv.history(key) : mirrorReads.history(key)) {
                out.add(toEntry(e, e.getDelta()));
            }
            return out;
        } catch (JetStreamApiException e) {
            throw apiFailure("read the history of key \"" + key + "\"", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while reading the history of key \"" + key + "\"", e);
        } catch (IOException | RuntimeException e) {
            throw failure("read the history of key \"" + key + "\"", e);
        }
    }

    @Override
    public List<String> keys(List<String> filters) {
        List<KeyFilter> parsed = KeyFilter.of(filters);
        store.checkOpen();
        // One listing per filter: servers before 2.10 have no consumers with several filters.
        TreeSet<String> keys = new TreeSet<>();
        try {
            for (KeyFilter f : parsed) {
                keys.addAll(mirrorReads == null ? kv.keys(f.pattern()) : mirrorReads.keys(f.pattern()));
            }
        } catch (JetStreamApiException e) {
            throw apiFailure("list keys", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while listing the keys of bucket " + name, e);
        } catch (IOException | RuntimeException e) {
            throw failure("list keys", e);
        }
        return List.copyOf(keys);
    }

    @Override
    public Watch watch(List<String> filters, WatchOptions options, WatchListener listener) {
        List<KeyFilter> parsed = KeyFilter.of(filters);
        store.checkOpen();
        try {
            return store.watches().watch(this, parsed, options, listener);
        } catch (JetStreamApiException e) {
            if (NatsErrors.isStreamNotFound(e)) {
                throw new UnknownBucketException(name);
            }
            throw failure("watch", e);
        } catch (IOException | RuntimeException e) {
            throw failure("watch", e);
        }
    }

    // ---- bucket-wide

    @Override
    public long purgeDeletes(Duration olderThan) {
        store.checkOpen();
        checkWritable();
        Instant cutoff = olderThan.isNegative() ? Instant.MAX : store.clock().instant().minus(olderThan);
        long affected = 0;
        try {
            StreamInfo info = store.management().getStreamInfo(stream, StreamInfoOptions.allSubjects());
            List<Subject> subjects = info.getStreamState().getSubjects();
            for (Subject subject : subjects == null ? List.<Subject>of() : subjects) {
                MessageInfo last = store.management().getLastMessage(stream, subject.getName());
                if (last.getHeaders() == null || last.getHeaders().getFirst(OPERATION_HEADER) == null) {
                    continue;
                }
                boolean old = !last.getTime().toInstant().isAfter(cutoff);
                if (old || subject.getCount() > 1) {
                    // An old marker goes with everything it hides; a recent one stays, alone.
                    store.management().purgeStream(stream,
                            PurgeOptions.builder().subject(subject.getName()).keep(old ? 0 : 1).build());
                    affected++;
                }
            }
        } catch (JetStreamApiException e) {
            throw apiFailure("purge delete markers", e);
        } catch (IOException | RuntimeException e) {
            throw failure("purge delete markers", e);
        }
        return affected;
    }

    @Override
    public void purgeAll() {
        store.checkOpen();
        checkWritable();
        try {
            // A stream purge keeps the stream's sequence, so revisions are never reused.
            store.management().purgeStream(stream);
        } catch (JetStreamApiException e) {
            throw apiFailure("purge", e);
        } catch (IOException | RuntimeException e) {
            throw failure("purge", e);
        }
    }

    @Override
    public BucketStatus status() {
        KeyValueStatus status = store.statusOf(name);
        if (status == null) {
            throw new UnknownBucketException(name);
        }
        return new BucketStatus(NatsConfigs.fromNats(status), status.getEntryCount(), status.getByteCount(),
                status.getBackingStreamInfo().getStreamState().getLastSequence(), store.backend(), store.location(),
                cluster(status.getBackingStreamInfo().getClusterInfo()));
    }

    /** The stream's replicas when the server is clustered; a single server reports no cluster. */
    private static BucketStatus.Cluster cluster(ClusterInfo info) {
        if (info == null || info.getName() == null) {
            return null;
        }
        List<BucketStatus.Peer> peers = new ArrayList<>();
        for (Replica r : info.getReplicas() == null ? List.<Replica>of() : info.getReplicas()) {
            peers.add(new BucketStatus.Peer(r.getName(), r.isCurrent(), r.isOffline()));
        }
        return new BucketStatus.Cluster(info.getName(), info.getLeader(), peers);
    }

    // ---- helpers

    private String subject(String key) {
        return "$KV." + name + "." + key;
    }

    /** What a watch's consumer filters on: a mirror's stream keeps its origin's subjects. */
    String readPrefix() {
        return "$KV." + (origin == null ? name : origin) + ".";
    }

    String streamName() {
        return stream;
    }

    private static KeyValueEntry putOnly(KeyValueEntry e) {
        return e == null || e.getOperation() != KeyValueOperation.PUT ? null : e;
    }

    Entry toEntry(KeyValueEntry e, long delta) {
        Operation op = switch (e.getOperation()) {
            case PUT -> Operation.PUT;
            case DELETE -> Operation.DEL;
            case PURGE -> Operation.PURGE;
        };
        byte[] value = e.getValue();
        return new Entry(name, e.getKey(), value == null ? null : value.clone(), e.getRevision(),
                e.getCreated().toInstant(), delta, op);
    }

    private KvException apiFailure(String what, JetStreamApiException e) {
        if (NatsErrors.isStreamNotFound(e)) {
            return new UnknownBucketException(name);
        }
        return failure(what, e);
    }

    /**
     * An error without a more precise meaning. A request to a removed bucket's stream finds no responder, so the
     * bucket is looked up to report that plainly.
     */
    private KvException failure(String what, Exception e) {
        if (e instanceof KvException k) {
            return k;
        }
        store.checkOpen();
        // jnats words a request to a deleted bucket's stream (no responders) and a timed-out one alike, so this
        // asks; during a leader election that costs a second request timeout.
        if (!store.exists(name)) {
            return new UnknownBucketException(name);
        }
        if (e instanceof JetStreamApiException api) {
            return NatsErrors.forOperation(what + " in bucket " + name, api);
        }
        return store.ioFailure(what + " in bucket " + name, e);
    }
}
