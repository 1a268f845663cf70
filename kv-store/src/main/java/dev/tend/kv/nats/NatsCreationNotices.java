package dev.tend.kv.nats;

import dev.tend.kv.KvStore;
import io.nats.client.Message;
import io.nats.client.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link KvStore#whenCreated} on NATS: one subscription per store, on the connection, to JetStream's stream-created
 * advisories ({@value #SUBJECT_PREFIX}{@code <stream>}, which the server publishes in the stream's account as it
 * creates one), made when the first listener waits and removed when the last one is closed. An advisory for a
 * bucket's stream ({@code KV_<bucket>}) calls that bucket's listeners on the watches' dispatcher thread. An advisory the
 * account may not receive, or one published while the connection was down, is simply never delivered.
 */
final class NatsCreationNotices {
    private static final Logger LOG = LoggerFactory.getLogger(NatsCreationNotices.class);

    /** The subject JetStream publishes a stream-created advisory on, followed by the stream's name. */
    static final String SUBJECT_PREFIX = "$JS.EVENT.ADVISORY.STREAM.CREATED.";

    private final NatsWatches watches;
    // Guarded by this.
    private final Map<String, Set<Runnable>> waiting = new HashMap<>();
    private Subscription subscription;

    NatsCreationNotices(NatsWatches watches) {
        this.watches = watches;
    }

    KvStore.CreationNotice add(String bucket, Runnable listener) {
        Runnable mine = listener::run; // its own identity: the same listener added twice is two notices
        synchronized (this) {
            waiting.computeIfAbsent(NatsConfigs.streamName(bucket), k -> new LinkedHashSet<>()).add(mine);
            if (subscription == null) {
                subscription = watches.dispatcher().subscribe(SUBJECT_PREFIX + "*", this::advisory);
            }
        }
        return () -> remove(NatsConfigs.streamName(bucket), mine);
    }

    /** The number of subscriptions made for notices (0 or 1). */
    synchronized int subscriptions() {
        return subscription == null ? 0 : 1;
    }

    private void remove(String stream, Runnable listener) {
        synchronized (this) {
            Set<Runnable> listeners = waiting.get(stream);
            if (listeners == null || !listeners.remove(listener)) {
                return;
            }
            if (listeners.isEmpty()) {
                waiting.remove(stream);
            }
            if (waiting.isEmpty() && subscription != null) {
                try {
                    watches.dispatcher().unsubscribe(subscription);
                } catch (RuntimeException e) { // the connection is closing or closed
                    LOG.debug("removing the stream-created subscription failed", e);
                }
                subscription = null;
            }
        }
    }

    private void advisory(Message message) {
        String stream = message.getSubject().substring(SUBJECT_PREFIX.length());
        List<Runnable> listeners;
        synchronized (this) {
            Set<Runnable> set = waiting.get(stream);
            listeners = set == null ? List.of() : new ArrayList<>(set);
        }
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("a listener for the creation of stream {} failed", stream, e);
            }
        }
    }
}
