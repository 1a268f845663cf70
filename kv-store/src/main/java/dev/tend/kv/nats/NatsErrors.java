package dev.tend.kv.nats;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketFullException;
import dev.tend.kv.KvException;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnsupportedFeatureException;
import dev.tend.kv.ValueTooLargeException;
import io.nats.client.JetStreamApiException;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns JetStream API errors into the store's typed exceptions with one-line messages. */
final class NatsErrors {
    /** JetStream API error codes (nats-server's errors.json). */
    static final int STREAM_NOT_FOUND = 10059;
    static final int NO_MESSAGE_FOUND = 10037;
    static final int WRONG_LAST_SEQUENCE = 10071;
    static final int STREAM_NAME_IN_USE = 10058;
    static final int MESSAGE_TOO_LARGE = 10054;
    static final int REPLICAS_NOT_SUPPORTED = 10074;
    /** A cluster has fewer servers up than a bucket's replicas (or its placement) need. */
    static final int NO_SUITABLE_PEERS = 10005;

    private static final Pattern LAST_SEQUENCE = Pattern.compile("wrong last sequence: (\\d+)");

    private NatsErrors() {
    }

    static boolean isStreamNotFound(JetStreamApiException e) {
        return e.getApiErrorCode() == STREAM_NOT_FOUND;
    }

    /** The key's latest revision that a refused compare-and-set write reports, when it says. */
    static OptionalLong wrongLastSequence(JetStreamApiException e) {
        if (e.getApiErrorCode() != WRONG_LAST_SEQUENCE || e.getErrorDescription() == null) {
            return OptionalLong.empty();
        }
        Matcher m = LAST_SEQUENCE.matcher(e.getErrorDescription());
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** A write refusal that depends on the bucket's limits, or a generic store error. */
    static KvException forWrite(String bucket, String key, JetStreamApiException e) {
        String description = describe(e);
        if (e.getApiErrorCode() == MESSAGE_TOO_LARGE) {
            return new ValueTooLargeException("value for key \"" + key + "\" is larger than bucket " + bucket
                    + "'s max value size", e);
        }
        if (description.contains("maximum bytes") || description.contains("maximum messages")) {
            return new BucketFullException("bucket " + bucket + " is full (its max bucket size): key \"" + key
                    + "\" was not written", e);
        }
        return forOperation("write to bucket " + bucket, e);
    }

    /** An error of a bucket-management call. */
    static KvException forBucketConfig(BucketConfig config, JetStreamApiException e) {
        String bucket = config.name();
        if (e.getApiErrorCode() == REPLICAS_NOT_SUPPORTED || describe(e).contains("replicas > 1 not supported")) {
            return new UnsupportedFeatureException("bucket " + bucket + ": replicas above 1 need a clustered NATS"
                    + " server", e);
        }
        if (e.getApiErrorCode() == NO_SUITABLE_PEERS) {
            return new UnsupportedFeatureException("bucket " + bucket + ": " + config.replicas() + " replicas need "
                    + config.replicas() + " NATS servers up in the cluster, and it has fewer (" + describe(e) + ")",
                    e);
        }
        return forOperation("configure bucket " + bucket, e);
    }

    static KvException forOperation(String what, JetStreamApiException e) {
        return new StoreException("NATS refused to " + what + ": " + describe(e), e);
    }

    static String describe(JetStreamApiException e) {
        String d = e.getErrorDescription();
        return (d == null || d.isBlank() ? e.getMessage() : d).replace('\n', ' ');
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        return (m == null || m.isBlank() ? t.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
