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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch on an ordered push consumer of the bucket's stream, read by its own thread. Several filters share one
 * consumer on every key and are matched here, so entries stay in revision order on servers without multi-filter
 * consumers (before 2.10). Initial entries are held until the consumer reports none pending, so their deltas count
 * only the entries this watch delivers.
 *
 * <p>When the bucket is deleted, JetStream tells its consumer nothing; when it is then created again, the consumer stays
 * on the stream that is gone. So the reader, when idle, looks the bucket up: gone, the watch ends; a stream created at
 * another time than the one it started on, the watch ends with {@link BucketReplacedException}.
 */
final class NatsWatch implements Watch {
    private static final Logger LOG = LoggerFactory.getLogger(NatsWatch.class);
    /** How long the reader waits for a message before checking that the bucket still exists. */
    private static final Duration IDLE_CHECK = Duration.ofMillis(500);

    private final NatsKvStore store;
    private final NatsBucket bucket;
    private final List<KeyFilter> filters;
    private final WatchOptions options;
    private final WatchListener listener;
    private final JetStreamSubscription subscription;
    private final boolean emptyAtStart;
    /** When the bucket's stream was created: a later lookup finding another time finds another stream. */
    private final ZonedDateTime streamCreated;
    private final AtomicBoolean active = new AtomicBoolean(true);
    private final Thread reader;

    NatsWatch(NatsKvStore store, NatsBucket bucket, List<KeyFilter> filters, WatchOptions options,
              WatchListener listener) throws IOException, JetStreamApiException {
        this.store = store;
        this.bucket = bucket;
        this.filters = filters;
        this.options = options;
        this.listener = listener;
        // Looked up before subscribing: a stream replaced in between then ends the watch rather than go unnoticed.
        this.streamCreated = streamCreated(store, bucket);
        String prefix = bucket.readPrefix();
        String subject = filters.size() == 1 ? prefix + filters.get(0).pattern() : prefix + ">";
        ConsumerConfiguration.Builder config = ConsumerConfiguration.builder();
        if (options.metaOnly()) {
            config.headersOnly(true);
        }
        if (options.updatesOnly()) {
            config.deliverPolicy(DeliverPolicy.New);
        } else if (options.includeHistory()) {
            config.deliverPolicy(DeliverPolicy.All);
        } else if (options.fromRevision() > 0) {
            config.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(options.fromRevision());
        } else {
            config.deliverPolicy(DeliverPolicy.LastPerSubject);
        }
        this.subscription = store.jetStream().subscribe(subject,
                PushSubscribeOptions.builder().stream(bucket.streamName()).ordered(true)
                        .configuration(config.build()).build());
        ConsumerInfo info = subscription.getConsumerInfo();
        // Nothing delivered and nothing pending: the watch is caught up before any message arrives.
        this.emptyAtStart = options.updatesOnly()
                || (info.getNumPending() == 0 && info.getDelivered().getConsumerSequence() == 0);
        this.reader = new Thread(this::run, "tend-nats-watch-" + bucket.name());
        this.reader.setDaemon(true);
    }

    NatsWatch start() {
        reader.start();
        return this;
    }

    @Override
    public boolean isActive() {
        return active.get();
    }

    @Override
    public void close() {
        if (active.compareAndSet(true, false)) {
            unsubscribeQuietly();
        }
    }

    private void run() {
        KvException failure = null;
        try {
            read();
        } catch (KvException e) {
            failure = e;
        } catch (RuntimeException e) {
            // The subscription or the connection was closed under the reader: the watch simply ends.
            if (active.get() && !store.isClosed()) {
                LOG.debug("watch of bucket {} ended", bucket.name(), e);
            }
        } finally {
            active.set(false);
            unsubscribeQuietly();
        }
        if (failure != null) {
            listener.onError(failure);
        } else {
            listener.onEnd();
        }
    }

    private void read() {
        List<Entry> initial = new ArrayList<>();
        boolean caughtUp = emptyAtStart;
        if (caughtUp) {
            listener.onCaughtUp();
        }
        long idleSince = System.nanoTime();
        while (active.get() && !store.isClosed()) {
            Message m;
            try {
                m = subscription.nextMessage(IDLE_CHECK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (m == null || !m.isJetStream()) {
                if (System.nanoTime() - idleSince >= IDLE_CHECK.toNanos()) {
                    if (!store.isClosed() && !sameStream()) {
                        return;
                    }
                    idleSince = System.nanoTime();
                }
                continue;
            }
            idleSince = System.nanoTime();
            Entry entry = bucket.toEntry(new KeyValueEntry(m), 0);
            boolean wanted = KeyFilter.anyMatches(filters, entry.key())
                    && !(options.ignoreDeletes() && entry.operation().isMarker());
            if (caughtUp) {
                if (wanted) {
                    listener.onEntry(entry);
                }
                continue;
            }
            if (wanted) {
                initial.add(entry);
            }
            if (m.metaData().pendingCount() == 0) {
                for (int i = 0; i < initial.size(); i++) {
                    listener.onEntry(initial.get(i).withDelta(initial.size() - 1 - i));
                }
                initial.clear();
                caughtUp = true;
                listener.onCaughtUp();
            }
        }
    }

    /** The bucket's stream's creation time; the bucket must exist. */
    private static ZonedDateTime streamCreated(NatsKvStore store, NatsBucket bucket) {
        KeyValueStatus status = store.statusOf(bucket.name());
        if (status == null) {
            throw new UnknownBucketException(bucket.name());
        }
        return status.getBackingStreamInfo().getCreateTime();
    }

    /**
     * True while the bucket's stream is the one this watch reads; false once the bucket is gone (the watch ends
     * cleanly, as after a delete); {@link BucketReplacedException} when it was deleted and created again.
     */
    private boolean sameStream() {
        KeyValueStatus status = store.statusOf(bucket.name());
        if (status == null) {
            return false;
        }
        if (!Objects.equals(status.getBackingStreamInfo().getCreateTime(), streamCreated)) {
            throw new BucketReplacedException(bucket.name());
        }
        return true;
    }

    private void unsubscribeQuietly() {
        try {
            subscription.unsubscribe();
        } catch (RuntimeException e) {
            // Already closed with its connection.
        }
    }
}
