package dev.tend.kv.support;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.StorageType;

import java.time.Duration;

import static dev.tend.kv.support.JsonForm.GO_DURATION;
import static dev.tend.kv.support.JsonForm.INT;
import static dev.tend.kv.support.JsonForm.LONG;
import static dev.tend.kv.support.JsonForm.NANOS;
import static dev.tend.kv.support.JsonForm.STORAGE_NAME;
import static dev.tend.kv.support.JsonForm.TEXT;

/**
 * The settings of a {@link BucketConfig}, one constant each, and how each JSON shape spells them: the one table every
 * mapping of a bucket config goes through. The order of the constants is the order every shape writes its fields.
 *
 * <p>A new setting is a component of {@link BucketConfig}, a constant here with its column for each shape, and a
 * case in {@link #get} and {@link #set}; the NATS mapping ({@code dev.tend.kv.nats.NatsConfigs}) switches over these
 * constants too, so the compiler points at every place that must learn it. Files written before the setting lack
 * it: a backup then gets the builder's default, but {@link ConfigShape#LOG} reads a missing number as zero, so zero
 * must mean the default there (or the shape needs a new version).
 *
 * <p>The shapes differ on purpose: the log header and {@code config.json} ({@link ConfigShape#LOG}) keep the TTL in
 * nanoseconds and have no mirror (an embedded bucket cannot be one); a backup ({@link ConfigShape#BACKUP}) and
 * {@code tend kv info --json} ({@link ConfigShape#INFO}) write the TTL as a Go duration and the mirror (null when
 * unset), and info names the bucket {@code "bucket"}. A backup must hold a name and a history; the other settings
 * of a backup default to the builder's.
 */
public enum ConfigField {
    //               LOG: config.json, log header  BACKUP: bucket.json           INFO: info --json
    NAME(            col("name", TEXT),            required("name", TEXT),       col("bucket", TEXT)),
    DESCRIPTION(     col("description", TEXT),     col("description", TEXT),     col("description", TEXT)),
    HISTORY(         col("history", INT),          required("history", INT),     col("history", INT)),
    TTL(             col("ttl_nanos", NANOS),      col("ttl", GO_DURATION),      col("ttl", GO_DURATION)),
    MAX_VALUE_SIZE(  col("max_value_size", LONG),  col("max_value_size", LONG),  col("max_value_size", LONG)),
    MAX_BUCKET_SIZE( col("max_bucket_size", LONG), col("max_bucket_size", LONG), col("max_bucket_size", LONG)),
    REPLICAS(        col("replicas", INT),         col("replicas", INT),         col("replicas", INT)),
    STORAGE(         col("storage", STORAGE_NAME), col("storage", STORAGE_NAME), col("storage", STORAGE_NAME)),
    MIRROR(          null,                         col("mirror", TEXT),          col("mirror", TEXT));

    /** Every field, in table order (one array, as {@code values()} copies its own at each call). */
    static final ConfigField[] ALL = values();

    private final Column log;
    private final Column backup;
    private final Column info;

    ConfigField(Column log, Column backup, Column info) {
        this.log = log;
        this.backup = backup;
        this.info = info;
    }

    /**
     * How one shape spells a field.
     *
     * @param key      the JSON key
     * @param form     how the value is written in JSON
     * @param required reading fails when the field is missing (only where a shape's reading has defaults)
     */
    public record Column(String key, JsonForm form, boolean required) {
    }

    private static Column col(String key, JsonForm form) {
        return new Column(key, form, false);
    }

    private static Column required(String key, JsonForm form) {
        return new Column(key, form, true);
    }

    /** How {@code shape} spells this field, or null when the shape leaves it out. */
    public Column column(ConfigShape shape) {
        return switch (shape) {
            case LOG -> log;
            case BACKUP -> backup;
            case INFO -> info;
        };
    }

    /**
     * This field's value in {@code c}: a String (name, description, mirror or null), an Integer (history,
     * replicas), a Long (sizes), a {@link Duration} (TTL) or a {@link StorageType}.
     */
    public Object get(BucketConfig c) {
        return switch (this) {
            case NAME -> c.name();
            case DESCRIPTION -> c.description();
            case HISTORY -> c.history();
            case TTL -> c.ttl();
            case MAX_VALUE_SIZE -> c.maxValueSize();
            case MAX_BUCKET_SIZE -> c.maxBucketSize();
            case REPLICAS -> c.replicas();
            case STORAGE -> c.storage();
            case MIRROR -> c.mirror();
        };
    }

    /** Sets this field to {@code value} (of {@link #get}'s type); the name is set when the builder is made. */
    private BucketConfig.Builder set(BucketConfig.Builder b, Object value) {
        return switch (this) {
            case NAME -> b;
            case DESCRIPTION -> b.description((String) value);
            case HISTORY -> b.history((Integer) value);
            case TTL -> b.ttl((Duration) value);
            case MAX_VALUE_SIZE -> b.maxValueSize((Long) value);
            case MAX_BUCKET_SIZE -> b.maxBucketSize((Long) value);
            case REPLICAS -> b.replicas((Integer) value);
            case STORAGE -> b.storage((StorageType) value);
            case MIRROR -> b.mirror((String) value);
        };
    }

    /**
     * The config with these values, by field ordinal, of {@link #get}'s types; a null value leaves the builder's
     * default (a null name fails).
     *
     * @throws dev.tend.kv.InvalidInputException when the values break a limit of {@link BucketConfig}
     */
    public static BucketConfig toConfig(Object[] values) {
        BucketConfig.Builder b = BucketConfig.builder((String) values[NAME.ordinal()]);
        for (ConfigField f : ALL) {
            Object v = values[f.ordinal()];
            if (v != null) {
                f.set(b, v);
            }
        }
        return b.build();
    }
}
