package dev.tend.kv;

import java.time.Duration;
import java.util.Objects;

/**
 * A bucket's configuration. Build one with {@link #builder(String)}; the builder checks every limit
 * so an invalid config never reaches a backend.
 *
 * @param name          the bucket's name, {@code ^[a-zA-Z0-9_-]+$}, at most 252 characters
 * @param description   free text, may be empty
 * @param history       how many entries each key keeps, 1..64 (markers count)
 * @param ttl           how long an entry lives; {@link Duration#ZERO} keeps entries forever
 * @param maxValueSize  the largest value in bytes, or {@link #UNLIMITED}
 * @param maxBucketSize the most bytes the bucket may hold, or {@link #UNLIMITED}
 * @param replicas      copies kept by the backend, 1..5
 * @param storage       file or memory
 * @param mirror        the bucket this one is a read replica of, or null
 */
public record BucketConfig(String name, String description, int history, Duration ttl, long maxValueSize,
                           long maxBucketSize, int replicas, StorageType storage, String mirror) {

    public static final long UNLIMITED = -1;
    public static final int MAX_HISTORY = 64;
    public static final int MAX_REPLICAS = 5;
    public static final int MAX_DESCRIPTION_BYTES = 4096;
    /** JetStream refuses a non-zero max age below this. */
    public static final Duration MIN_TTL = Duration.ofMillis(100);

    public BucketConfig {
        Names.checkBucketName(name);
        description = description == null ? "" : description;
        ttl = ttl == null ? Duration.ZERO : ttl;
        storage = storage == null ? StorageType.FILE : storage;
        if (history < 1 || history > MAX_HISTORY) {
            throw new InvalidConfigException("history must be from 1 to " + MAX_HISTORY + ", not " + history);
        }
        if (ttl.isNegative()) {
            throw new InvalidConfigException("ttl must not be negative, not " + ttl);
        }
        if (!ttl.isZero() && ttl.compareTo(MIN_TTL) < 0) {
            throw new InvalidConfigException("ttl must be 0 (forever) or at least 100ms, not " + ttl.toMillis() + "ms");
        }
        maxValueSize = normaliseLimit("max value size", maxValueSize);
        maxBucketSize = normaliseLimit("max bucket size", maxBucketSize);
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new InvalidConfigException("replicas must be from 1 to " + MAX_REPLICAS + ", not " + replicas);
        }
        if (description.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_DESCRIPTION_BYTES) {
            throw new InvalidConfigException("description must be at most " + MAX_DESCRIPTION_BYTES + " bytes");
        }
        if (mirror != null) {
            if (mirror.isEmpty()) {
                mirror = null;
            } else {
                Names.checkBucketName(mirror);
                if (mirror.equals(name)) {
                    throw new InvalidConfigException("bucket " + name + " cannot mirror itself");
                }
            }
        }
    }

    private static long normaliseLimit(String what, long value) {
        if (value == 0 || value == UNLIMITED) {
            return UNLIMITED;
        }
        if (value < 0) {
            throw new InvalidConfigException(what + " must be positive or unlimited, not " + value);
        }
        return value;
    }

    /** True when entries expire. */
    public boolean hasTtl() {
        return !ttl.isZero();
    }

    /** A builder that starts from JetStream's defaults: history 1, no TTL, no limits, one replica, file storage. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder that starts from this config, for an update. */
    public Builder toBuilder() {
        return new Builder(name).description(description).history(history).ttl(ttl)
                .maxValueSize(maxValueSize).maxBucketSize(maxBucketSize).replicas(replicas)
                .storage(storage).mirror(mirror);
    }

    /** Builds a {@link BucketConfig}; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private int history = 1;
        private Duration ttl = Duration.ZERO;
        private long maxValueSize = UNLIMITED;
        private long maxBucketSize = UNLIMITED;
        private int replicas = 1;
        private StorageType storage = StorageType.FILE;
        private String mirror;

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder history(int history) {
            this.history = history;
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        public Builder maxValueSize(long bytes) {
            this.maxValueSize = bytes;
            return this;
        }

        public Builder maxBucketSize(long bytes) {
            this.maxBucketSize = bytes;
            return this;
        }

        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        public Builder storage(StorageType storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        public Builder mirror(String mirror) {
            this.mirror = mirror;
            return this;
        }

        public BucketConfig build() {
            return new BucketConfig(name, description, history, ttl, maxValueSize, maxBucketSize, replicas, storage,
                    mirror);
        }
    }
}
