package dev.tend.kv.nats;

import dev.tend.kv.BucketReplacedException;
import dev.tend.kv.Entry;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvException;
import dev.tend.kv.UnknownBucketException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StreamInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A watch of a NATS bucket. Its initial entries come from an ordered push consumer of its own (the latest entry per
 * key, all, from a revision: as the options say; several filters share one consumer on every key and are matched
 * here, so entries stay in revision order on servers without multi-filter consumers, before 2.10), held until the
 * consumer reports none pending, so their deltas count only the entries this watch delivers. That consumer then goes,
 * and the watch goes on with the bucket's {@link NatsBucketTail}, which the store's watches of the bucket share: what
 * the tail delivered meanwhile was held, and what comes after the last entry the initial consumer covered is
 * delivered. Both are read by the store's one dispatcher thread; the listener is called on the watch's
 * {@link DeliveryLane}, on the store's shared watch threads.
 *
 * <p>A bucket deleted, or deleted and created again, under the watch is noticed by the tail (see there).
 */
final class NatsWatch implements Watch {
    private enum Phase { INITIAL, FOLLOWING, ENDED }

    private final NatsWatches hub;
    private final NatsKvStore store;
    private final NatsBucket bucket;
    private final List<KeyFilter> filters;
    private final WatchOptions options;
    private final WatchListener listener;
    private final DeliveryLane lane;
    private final String literalKey;
    private NatsBucketTail tail;

    // Guarded by the tail's monitor.
    private Phase phase = Phase.INITIAL;
    /** What the tail delivered while the initial entries were read. */
    private final List<KeyValueEntry> held = new ArrayList<>();
    /** The initial entries read so far. */
    private final List<Entry> initial = new ArrayList<>();
    private JetStreamSubscription initialConsumer;
    /** The stream's last revision when the watch joined the tail: what the tail delivers after it is new. */
    private long startedAt;
    /**
     * The revision the watch was caught up at: what the tail hands on at or below it came before the watch (a tail
     * behind the stream when a watch of updates only joins it sends such entries late), guarded by the tail.
     */
    private long through;

    /** Set by close(); read by the lane, which then calls the listener no more but for its end. */
    private volatile boolean closeRequested;
    /** Written on the lane only. */
    private boolean finished;

    NatsWatch(NatsWatches hub, NatsKvStore store, NatsBucket bucket, List<KeyFilter> filters, WatchOptions options,
              WatchListener listener) {
        this.hub = hub;
        this.store = store;
        this.bucket = bucket;
        this.filters = filters;
        this.options = options;
        this.listener = listener;
        this.lane = new DeliveryLane(hub.scheduler(), bucket.name());
        this.literalKey = filters.size() == 1 && filters.get(0).isLiteral() ? filters.get(0).pattern() : null;
    }

    String literalKey() {
        return literalKey;
    }

    /**
     * Starts reading the initial entries, the watch being one of {@code tail}'s already (so that nothing written from
     * now on is missed). False when the bucket's stream is no longer the tail's: the tail ends, and the caller starts
     * again with a new one.
     */
    boolean start(NatsBucketTail tail) throws IOException, JetStreamApiException {
        this.tail = tail;
        KeyValueStatus status;
        try {
            status = store.statusOf(bucket.name());
        } catch (RuntimeException e) {
            tail.remove(this);
            throw e;
        }
        if (status == null) {
            tail.remove(this);
            throw new UnknownBucketException(bucket.name());
        }
        if (!Objects.equals(status.getBackingStreamInfo().getCreateTime(), tail.streamCreated())) {
            tail.remove(this);
            tail.end(new BucketReplacedException(bucket.name()));
            return false;
        }
        long last = status.getBackingStreamInfo().getStreamState().getLastSequence();
        synchronized (tail) {
            startedAt = last;
        }
        if (options.updatesOnly()) {
            caughtUp(last, false);
            return true;
        }
        ConsumerConfiguration.Builder config = ConsumerConfiguration.builder();
        if (options.metaOnly()) {
            config.headersOnly(true);
        }
        if (options.includeHistory()) {
            config.deliverPolicy(DeliverPolicy.All);
        } else if (options.fromRevision() > 0) {
            config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(options.fromRevision());
        } else {
            config.deliverPolicy(DeliverPolicy.LastPerSubject);
        }
        String prefix = bucket.readPrefix();
        String subject = filters.size() == 1 ? prefix + filters.get(0).pattern() : prefix + ">";
        JetStreamSubscription sub;
        try {
            sub = store.jetStream().subscribe(subject, hub.dispatcher(), this::onInitial, false,
                    PushSubscribeOptions.builder().stream(bucket.streamName()).ordered(true)
                            .configuration(config.build()).build());
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            tail.remove(this);
            throw e;
        }
        boolean done;
        synchronized (tail) {
            initialConsumer = sub;
            done = phase != Phase.INITIAL;
        }
        if (done) {
            unsubscribe(sub);
            return true;
        }
        ConsumerInfo info = sub.getConsumerInfo();
        if (info.getNumPending() == 0 && info.getDelivered().getConsumerSequence() == 0) {
            // Nothing delivered and nothing pending: caught up before any message arrives; whatever matches from now
            // on is new, and comes through the tail.
            caughtUp(last, false);
        }
        return true;
    }

    /** On the dispatcher's thread: an initial entry, or a later one before the initial consumer goes. */
    private void onInitial(Message m) {
        if (!m.isJetStream()) {
            return;
        }
        long seq = m.metaData().streamSequence();
        synchronized (tail) {
            if (phase != Phase.INITIAL) {
                return;
            }
            KeyValueEntry kv = new KeyValueEntry(m);
            if (wants(kv)) {
                initial.add(bucket.toEntry(kv, 0));
            }
            if (m.metaData().pendingCount() == 0) {
                caughtUp(Math.max(startedAt, seq), true);
            }
        }
    }

    /**
     * The initial entries are read, up to revision {@code through}: they are delivered (when {@code withInitial}),
     * then the caught-up signal, then what the tail delivered after that revision, and the watch follows the tail.
     */
    private void caughtUp(long through, boolean withInitial) {
        JetStreamSubscription consumer;
        synchronized (tail) {
            if (phase != Phase.INITIAL) {
                return;
            }
            phase = Phase.FOLLOWING;
            this.through = through;
            consumer = initialConsumer;
            initialConsumer = null;
            List<Entry> first = withInitial ? List.copyOf(initial) : List.of();
            initial.clear();
            List<Entry> since = new ArrayList<>();
            for (KeyValueEntry kv : held) {
                if (kv.getRevision() > through) {
                    since.add(entry(kv));
                }
            }
            held.clear();
            // On the lane while the tail's monitor is held: nothing the tail delivers next can come before them.
            lane.execute(() -> {
                for (int i = 0; i < first.size(); i++) {
                    deliver(first.get(i).withDelta(first.size() - 1 - i));
                }
                if (!closeRequested && !finished) {
                    listener.onCaughtUp();
                }
                for (Entry e : since) {
                    deliver(e);
                }
            });
        }
        if (consumer != null) {
            unsubscribe(consumer);
        }
    }

    /** From the tail, its monitor held: an entry of the bucket written after the tail started. */
    void offer(KeyValueEntry kv) {
        if (phase == Phase.ENDED || !wants(kv)) {
            return;
        }
        if (phase == Phase.INITIAL) {
            held.add(kv);
        } else if (kv.getRevision() > through) {
            Entry e = entry(kv);
            lane.execute(() -> deliver(e));
        }
    }

    private boolean wants(KeyValueEntry kv) {
        return kv.getRevision() >= options.fromRevision() && KeyFilter.anyMatches(filters, kv.getKey())
                && !(options.ignoreDeletes() && kv.getOperation() != io.nats.client.api.KeyValueOperation.PUT);
    }

    private Entry entry(KeyValueEntry kv) {
        Entry e = bucket.toEntry(kv, 0);
        return options.metaOnly() ? new Entry(e.bucket(), e.key(), null, e.revision(), e.created(), 0, e.operation())
                : e;
    }

    /** On the lane. */
    private void deliver(Entry e) {
        if (!closeRequested && !finished) {
            listener.onEntry(e);
        }
    }

    /** The tail ended (the bucket went, or the store closed): the watch ends with {@code reason}, or cleanly. */
    void ended(KvException reason) {
        JetStreamSubscription consumer;
        synchronized (tail) {
            phase = Phase.ENDED;
            consumer = initialConsumer;
            initialConsumer = null;
        }
        if (consumer != null) {
            unsubscribe(consumer);
        }
        lane.execute(() -> finish(reason));
    }

    /** On the lane: the listener's last call. */
    private void finish(KvException reason) {
        if (finished) {
            return;
        }
        finished = true;
        if (reason != null) {
            listener.onError(reason);
        } else {
            listener.onEnd();
        }
    }

    @Override
    public boolean isActive() {
        if (closeRequested) {
            return false;
        }
        synchronized (tail) {
            return phase != Phase.ENDED;
        }
    }

    @Override
    public void close() {
        if (closeRequested) {
            return;
        }
        closeRequested = true;
        tail.remove(this);
        ended(null);
    }

    private void unsubscribe(JetStreamSubscription sub) {
        try {
            hub.dispatcher().unsubscribe(sub);
        } catch (RuntimeException e) {
            // Already closed with its connection.
        }
    }

    /** The bucket's stream as it is now; the bucket must exist. */
    static StreamInfo stream(NatsKvStore store, NatsBucket bucket) {
        KeyValueStatus status = store.statusOf(bucket.name());
        if (status == null) {
            throw new UnknownBucketException(bucket.name());
        }
        return status.getBackingStreamInfo();
    }
}
