package dev.tend.kv.nats;

import dev.tend.kv.BucketReplacedException;
import dev.tend.kv.KvException;
import dev.tend.kv.StoreException;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StreamInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one consumer a store reads a bucket's new entries with, for every watch of the bucket in the store: an ordered
 * push consumer on all its keys from the moment it is made ({@code DeliverPolicy.New}), on the store's shared
 * dispatcher. Each entry goes to the watches whose filters match (a map by key for watches of one literal key, a
 * scan of the others): held by a watch still reading its initial entries, handed to its listener's lane otherwise.
 *
 * <p>Entries the consumer passes over although they are still in the stream (a server before 2.9.12 does so on a
 * purge of another key) are found by {@link SkippedEntries} and handed on first, so every watch still gets each
 * entry in revision order.
 *
 * <p>JetStream tells a consumer nothing when its stream is deleted, and a consumer stays on a stream that was deleted
 * and created again; so the tail looks the bucket up every {@link #CHECK_MILLIS} ms (skipping one look when an entry
 * came within the period): gone, its watches end; created
 * at another time, they end with {@link BucketReplacedException}; a lookup that fails ends them with its error. It
 * ends, and its consumer with it, when its last watch leaves.
 *
 * <p>Its monitor guards the watches and their phase; the dispatcher's one thread calls {@link #onMessage} and the
 * watches' initial consumers, so entries reach each watch in revision order.
 */
final class NatsBucketTail {
    private static final Logger LOG = LoggerFactory.getLogger(NatsBucketTail.class);
    /** How often the tail checks that its bucket's stream is still the one it reads. */
    static final long CHECK_MILLIS = 500;

    private final NatsWatches hub;
    private final NatsKvStore store;
    private final String bucket;
    /** When the stream was created: a later lookup finding another time finds another stream. */
    private final ZonedDateTime streamCreated;
    private final Dispatcher dispatcher;
    /** Read and written on the dispatcher's thread only. */
    private final SkippedEntries skipped;
    private JetStreamSubscription subscription;
    private ScheduledFuture<?> check;
    /** When the last entry came ({@code System.nanoTime}), and whether the last check was skipped for it. */
    private volatile long lastEntryNanos = System.nanoTime();
    private boolean skippedLastCheck; // only the scheduler's one task reads and writes it

    // Guarded by this.
    private final Map<String, Set<NatsWatch>> byKey = new HashMap<>();
    private final Set<NatsWatch> others = new LinkedHashSet<>();
    private boolean ended;

    private NatsBucketTail(NatsWatches hub, NatsKvStore store, NatsBucket handle, StreamInfo stream,
                           Dispatcher dispatcher) {
        this.hub = hub;
        this.store = store;
        this.bucket = handle.name();
        this.streamCreated = stream.getCreateTime();
        this.dispatcher = dispatcher;
        boolean purgesSkip = store.serverVersion()
                .map(v -> !v.atLeast(NatsServerVersion.PURGE_SPARES_OTHER_SUBJECTS)).orElse(false);
        this.skipped = new SkippedEntries(bucket, stream.getStreamState().getLastSequence(),
                purgesSkip ? next(store, handle) : null);
    }

    /**
     * Subscribes the bucket's shared consumer; the bucket must exist, its stream as {@code stream} tells (read before
     * this call: its creation time, and its last sequence, after which entries are new).
     */
    static NatsBucketTail open(NatsWatches hub, NatsKvStore store, NatsBucket handle, StreamInfo stream,
                               Dispatcher dispatcher) throws IOException, JetStreamApiException {
        NatsBucketTail tail = new NatsBucketTail(hub, store, handle, stream, dispatcher);
        ConsumerConfiguration config = ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.New).build();
        tail.subscription = store.jetStream().subscribe(handle.readPrefix() + ">", dispatcher, tail::onMessage, false,
                PushSubscribeOptions.builder().stream(handle.streamName()).ordered(true).configuration(config)
                        .build());
        tail.check = hub.scheduler().scheduleWithFixedDelay(tail::checkStream, CHECK_MILLIS, CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        return tail;
    }

    /** Reads the bucket's stream's next message on the subjects the tail reads, at or after a sequence. */
    static SkippedEntries.NextMessage next(NatsKvStore store, NatsBucket handle) {
        String stream = handle.streamName();
        String subjects = handle.readPrefix() + ">";
        return sequence -> {
            try {
                return store.management().getNextMessage(stream, sequence, subjects);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == NatsErrors.NO_MESSAGE_FOUND) {
                    return null;
                }
                throw e;
            }
        };
    }

    ZonedDateTime streamCreated() {
        return streamCreated;
    }

    /** Adds a watch, which holds what the tail delivers until its initial entries are read. False once ended. */
    synchronized boolean add(NatsWatch w) {
        if (ended) {
            return false;
        }
        String key = w.literalKey();
        if (key != null) {
            byKey.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(w);
        } else {
            others.add(w);
        }
        return true;
    }

    /** Takes a watch out; the tail ends with its last watch. */
    void remove(NatsWatch w) {
        synchronized (this) {
            String key = w.literalKey();
            if (key != null) {
                Set<NatsWatch> s = byKey.get(key);
                if (s != null) {
                    s.remove(w);
                    if (s.isEmpty()) {
                        byKey.remove(key);
                    }
                }
            } else {
                others.remove(w);
            }
            if (ended || !byKey.isEmpty() || !others.isEmpty()) {
                return;
            }
            ended = true;
        }
        release();
    }

    /** On the dispatcher's thread: a new entry of the bucket. */
    private void onMessage(Message m) {
        if (!m.isJetStream()) {
            return;
        }
        KeyValueEntry kv = new KeyValueEntry(m);
        lastEntryNanos = System.nanoTime();
        synchronized (this) {
            if (ended) {
                return; // its watches are gone: nothing to look up for them
            }
        }
        // Outside the monitor: it may ask the server. Only this thread delivers, so the order stays.
        List<KeyValueEntry> passedOver = skipped.before(kv.getRevision());
        synchronized (this) {
            for (KeyValueEntry e : passedOver) {
                fanOut(e);
            }
            fanOut(kv);
        }
    }

    /** Its monitor held: hands an entry to the watches whose filters match it. */
    private void fanOut(KeyValueEntry kv) {
        Set<NatsWatch> exact = byKey.get(kv.getKey());
        if (exact != null) {
            for (NatsWatch w : exact) {
                w.offer(kv);
            }
        }
        for (NatsWatch w : others) {
            w.offer(kv);
        }
    }

    private void checkStream() {
        // A bucket deleted and created again at once must not look merely deleted: an entry came less than a period
        // ago, so the lookup waits one more period (never two in a row, so a replaced bucket that keeps being written
        // is still found within two periods).
        if (!skippedLastCheck && System.nanoTime() - lastEntryNanos < CHECK_MILLIS * 1_000_000L) {
            skippedLastCheck = true;
            return;
        }
        skippedLastCheck = false;
        KvException reason;
        try {
            if (store.isClosed()) {
                end(null);
                return;
            }
            KeyValueStatus status = store.statusOf(bucket);
            if (status != null && Objects.equals(status.getBackingStreamInfo().getCreateTime(), streamCreated)) {
                return;
            }
            reason = status == null ? null : new BucketReplacedException(bucket);
        } catch (KvException e) {
            reason = e;
        } catch (RuntimeException e) {
            LOG.debug("checking bucket {} for its watches failed", bucket, e);
            reason = new StoreException("watch on bucket " + bucket + " failed: " + NatsErrors.oneLine(e));
        }
        end(reason);
    }

    /** Ends every watch of the tail: cleanly when {@code reason} is null, with it otherwise. */
    void end(KvException reason) {
        List<NatsWatch> all = new ArrayList<>();
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            for (Set<NatsWatch> s : byKey.values()) {
                all.addAll(s);
            }
            all.addAll(others);
            byKey.clear();
            others.clear();
        }
        release();
        for (NatsWatch w : all) {
            w.ended(reason);
        }
    }

    private void release() {
        hub.removed(this);
        if (check != null) {
            check.cancel(false);
        }
        try {
            dispatcher.unsubscribe(subscription);
        } catch (RuntimeException e) {
            // Already closed with its connection.
        }
    }
}
