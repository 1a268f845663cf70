package dev.tend.kv.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of a mirror bucket from its own stream. A mirror's stream keeps its origin's subjects
 * ({@code $KV.<origin>.<key>}), but jnats' {@code KeyValue} of a mirror looks for {@code $KV.<mirror>.<key>} there
 * and finds nothing (jnats 2.24), so these reads name the mirror's stream and the origin's subjects.
 */
final class NatsMirrorReads {
    /** How long a listing waits for the next message the consumer said was pending. */
    private static final Duration NEXT_MESSAGE = Duration.ofSeconds(5);

    private final NatsKvStore store;
    private final String stream;
    private final String prefix;

    NatsMirrorReads(NatsKvStore store, String mirror, String origin) {
        this.store = store;
        this.stream = NatsConfigs.streamName(mirror);
        this.prefix = "$KV." + origin + ".";
    }

    /** The key's latest entry, markers included, or null. */
    KeyValueEntry last(String key) throws IOException, JetStreamApiException {
        try {
            return new KeyValueEntry(store.management().getLastMessage(stream, prefix + key));
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.NO_MESSAGE_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** The entry at {@code revision} when it is one of the key's, or null. */
    KeyValueEntry at(String key, long revision) throws IOException, JetStreamApiException {
        try {
            KeyValueEntry e = new KeyValueEntry(store.management().getMessage(stream, revision));
            return key.equals(e.getKey()) ? e : null;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NatsErrors.NO_MESSAGE_FOUND) {
                return null;
            }
            throw e;
        }
    }

    List<KeyValueEntry> history(String key) throws IOException, JetStreamApiException, InterruptedException {
        List<KeyValueEntry> out = new ArrayList<>();
        for (Message m : read(prefix + key, DeliverPolicy.All, false)) {
            out.add(new KeyValueEntry(m));
        }
        return out;
    }

    /** The keys matching {@code pattern} whose latest entry is a value. */
    List<String> keys(String pattern) throws IOException, JetStreamApiException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (Message m : read(prefix + pattern, DeliverPolicy.LastPerSubject, true)) {
            KeyValueEntry e = new KeyValueEntry(m);
            if (e.getOperation() == KeyValueOperation.PUT) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Every message of the stream on {@code filter} as the consumer finds them now, through an ordered consumer. */
    private List<Message> read(String filter, DeliverPolicy policy, boolean headersOnly)
            throws IOException, JetStreamApiException, InterruptedException {
        ConsumerConfiguration config = ConsumerConfiguration.builder().deliverPolicy(policy).headersOnly(headersOnly)
                .build();
        JetStreamSubscription sub = store.jetStream().subscribe(filter,
                PushSubscribeOptions.builder().stream(stream).ordered(true).configuration(config).build());
        try {
            List<Message> out = new ArrayList<>();
            ConsumerInfo info = sub.getConsumerInfo();
            // Nothing pending and nothing already pushed to this subscription: there is nothing to read.
            if (info.getNumPending() == 0 && info.getDelivered().getConsumerSequence() == 0) {
                return out;
            }
            while (true) {
                Message m = sub.nextMessage(NEXT_MESSAGE);
                if (m == null) {
                    throw new IOException("no message from mirror stream " + stream + " within "
                            + NEXT_MESSAGE.toSeconds() + "s");
                }
                if (m.isJetStream()) {
                    out.add(m);
                    if (m.metaData().pendingCount() == 0) {
                        return out;
                    }
                }
            }
        } finally {
            sub.unsubscribe();
        }
    }
}
