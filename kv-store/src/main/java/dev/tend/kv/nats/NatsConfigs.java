package dev.tend.kv.nats;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.StorageType;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.Mirror;

import java.time.Duration;

/** Maps a {@link BucketConfig} to the standard JetStream KV bucket configuration and back. */
final class NatsConfigs {
    /** The stream behind a KV bucket is named {@code KV_<bucket>} (kv-reference §2). */
    static final String STREAM_PREFIX = "KV_";

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
        b.name(config.name())
                .maxHistoryPerKey(config.history())
                .ttl(config.ttl())
                .maxBucketSize(config.maxBucketSize())
                .replicas(config.replicas())
                .storageType(config.storage() == StorageType.MEMORY
                        ? io.nats.client.api.StorageType.Memory : io.nats.client.api.StorageType.File);
        if (config.mirror() != null) {
            // jnats names the stream KV_<origin>, leaves the subjects out and sets mirror_direct, so the mirror
            // may also answer direct gets sent to its origin (kv-reference §6).
            b.mirror(Mirror.builder().name(config.mirror()).build());
        }
        b.description(config.description().isEmpty() ? null : config.description());
        // JetStream's max message size is a 32-bit number.
        b.maximumValueSize(config.maxValueSize() == BucketConfig.UNLIMITED ? -1
                : (int) Math.min(config.maxValueSize(), Integer.MAX_VALUE));
        return b.build();
    }

    static BucketConfig fromNats(KeyValueStatus status) {
        Duration ttl = status.getTtl() == null ? Duration.ZERO : status.getTtl();
        Mirror mirror = status.getConfiguration().getMirror();
        String origin = mirror == null ? null : stripPrefix(mirror.getName());
        return BucketConfig.builder(status.getBucketName())
                .description(status.getDescription() == null ? "" : status.getDescription())
                .history((int) status.getMaxHistoryPerKey())
                .ttl(ttl)
                .maxValueSize(status.getMaxValueSize())
                .maxBucketSize(status.getMaxBucketSize())
                .replicas(status.getReplicas())
                .storage(status.getStorageType() == io.nats.client.api.StorageType.Memory
                        ? StorageType.MEMORY : StorageType.FILE)
                .mirror(origin)
                .build();
    }

    static String streamName(String bucket) {
        return STREAM_PREFIX + bucket;
    }

    private static String stripPrefix(String stream) {
        return stream != null && stream.startsWith(STREAM_PREFIX) ? stream.substring(STREAM_PREFIX.length()) : stream;
    }
}
