package dev.tend.kv.support;

/**
 * The JSON documents a bucket's configuration is written in. Each spells the fields as its column of
 * {@link ConfigField} says, in the table's order, and is read by its own rules, those of the code that first read it
 * (so every file written so far reads back the same).
 */
public enum ConfigShape {
    /**
     * A bucket's {@code config.json} and the config in its log's header (compact there): led by {@code "format":1},
     * the version of this shape. Read as a Java record is bound from JSON: a missing or null field is zero (or
     * null), a number may be quoted, any scalar reads as a string, unknown fields are skipped, the last of two
     * equal keys wins.
     */
    LOG("format", 1, false),
    /**
     * The {@code config} object of a backup's {@code bucket.json}. Read as from a JSON tree: a missing or null
     * field takes the builder's default unless required, a number must be a whole JSON number, any scalar reads as a
     * string and an object or array as an empty one, unknown fields are skipped.
     */
    BACKUP(null, 0, true),
    /** The configuration part of {@code tend kv info --json} (docs/cli-kv.md); written only. */
    INFO(null, 0, true);

    private final String versionKey;
    private final int version;
    private final boolean absentIsDefault;

    ConfigShape(String versionKey, int version, boolean absentIsDefault) {
        this.versionKey = versionKey;
        this.version = version;
        this.absentIsDefault = absentIsDefault;
    }

    /** The key of the shape's version, written first, or null when the shape has none. */
    public String versionKey() {
        return versionKey;
    }

    /** The version this code writes and the newest it reads (0 when the shape has none). */
    public int version() {
        return version;
    }

    /**
     * True when a missing field takes the builder's default and JSON types are checked field by field
     * ({@link #BACKUP}); false when it is zero and anything the record binding took is taken ({@link #LOG}).
     */
    boolean absentIsDefault() {
        return absentIsDefault;
    }
}
