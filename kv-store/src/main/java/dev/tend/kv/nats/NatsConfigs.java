package dev.tend.kv.nats;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.StorageType;
import dev.tend.kv.support.ConfigField;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.Mirror;

/**
 * Maps a {@link BucketConfig} to the standard JetStream KV bucket configuration and back, field by field over
 * {@link ConfigField}: each field's setter on jnats' builder and getter on its status are a case of one switch here,
 * so a new field does not compile until it is mapped. (The correspondence lives here, not in {@link ConfigField}'s
 * table, because naming jnats' types there would load jnats into every process that reads a bucket config.)
 */
final class NatsConfigs {
    /** The stream behind a KV bucket is named {@code KV_<bucket>}. */
    static final String STREAM_PREFIX = "KV_";
    private static final ConfigField[] FIELDS = ConfigField.values();

    private NatsConfigs() {
    }

    static KeyValueConfiguration toNats(BucketConfig config) {
        return apply(config, KeyValueConfiguration.builder());
    }

    /**
     * An existing bucket's configuration changed to {@code config}. What Tend does not set itself (republish,
     * placement, metadata, compression, sources from another client) is kept: the server refuses to drop some of
     * it (republish) and the bucket's other users rely on the rest.
     */
    static KeyValueConfiguration toNats(BucketConfig config, KeyValueConfiguration existing) {
        return apply(config, KeyValueConfiguration.builder(existing));
    }

    private static KeyValueConfiguration apply(BucketConfig config, KeyValueConfiguration.Builder b) {
        for (ConfigField f : FIELDS) {
            put(f, config, b);
        }
        return b.build();
    }

    /** Sets {@code f} of {@code c} on jnats' builder. */
    private static KeyValueConfiguration.Builder put(ConfigField f, BucketConfig c, KeyValueConfiguration.Builder b) {
        return switch (f) {
            case NAME -> b.name(c.name());
            case DESCRIPTION -> b.description(c.description().isEmpty() ? null : c.description());
            case HISTORY -> b.maxHistoryPerKey(c.history());
            case TTL -> b.ttl(c.ttl());
            // JetStream's max message size is a 32-bit number.
            case MAX_VALUE_SIZE -> b.maximumValueSize(c.maxValueSize() == BucketConfig.UNLIMITED ? -1
                    : (int) Math.min(c.maxValueSize(), Integer.MAX_VALUE));
            case MAX_BUCKET_SIZE -> b.maxBucketSize(c.maxBucketSize());
            case REPLICAS -> b.replicas(c.replicas());
            case STORAGE -> b.storageType(c.storage() == StorageType.MEMORY
                    ? io.nats.client.api.StorageType.Memory : io.nats.client.api.StorageType.File);
            // jnats names the stream KV_<origin>, leaves the subjects out and sets mirror_direct, so the mirror may
            // also answer direct gets sent to its origin. No mirror leaves the existing bucket's as it is.
            case MIRROR -> c.mirror() == null ? b : b.mirror(Mirror.builder().name(c.mirror()).build());
        };
    }

    /** The value of {@code f} in jnats' status, of {@link ConfigField#get}'s type (null: the builder's default). */
    private static Object take(ConfigField f, KeyValueStatus s) {
        return switch (f) {
            case NAME -> s.getBucketName();
            case DESCRIPTION -> s.getDescription();
            case HISTORY -> (int) s.getMaxHistoryPerKey();
            case TTL -> s.getTtl();
            case MAX_VALUE_SIZE -> s.getMaxValueSize();
            case MAX_BUCKET_SIZE -> s.getMaxBucketSize();
            case REPLICAS -> s.getReplicas();
            case STORAGE -> s.getStorageType() == io.nats.client.api.StorageType.Memory
                    ? StorageType.MEMORY : StorageType.FILE;
            case MIRROR -> {
                Mirror mirror = s.getConfiguration().getMirror();
                yield mirror == null ? null : stripPrefix(mirror.getName());
            }
        };
    }

    static BucketConfig fromNats(KeyValueStatus status) {
        Object[] values = new Object[FIELDS.length];
        for (ConfigField f : FIELDS) {
            values[f.ordinal()] = take(f, status);
        }
        return ConfigField.toConfig(values);
    }

    static String streamName(String bucket) {
        return STREAM_PREFIX + bucket;
    }

    private static String stripPrefix(String stream) {
        return stream != null && stream.startsWith(STREAM_PREFIX) ? stream.substring(STREAM_PREFIX.length()) : stream;
    }
}
