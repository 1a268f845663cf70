package dev.tend.kv;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One retained write of a key.
 *
 * @param bucket    the bucket's name
 * @param key       the key
 * @param value     the value bytes (empty for markers and for meta-only watches); never null
 * @param revision  the bucket-wide sequence number of this write
 * @param created   when the store accepted the write (store time, UTC)
 * @param delta     in a watch or history, how many entries follow this one in the same batch
 *                  (0 = the latest known); 0 from {@code get}
 * @param operation PUT, DEL or PURGE
 */
public record Entry(String bucket, String key, byte[] value, long revision, Instant created, long delta,
                    Operation operation) {

    public Entry {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(operation, "operation");
        value = value == null ? new byte[0] : value;
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The same entry with another delta. */
    public Entry withDelta(long newDelta) {
        return new Entry(bucket, key, value, revision, created, newDelta, operation);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e
                && revision == e.revision && delta == e.delta
                && bucket.equals(e.bucket) && key.equals(e.key)
                && created.equals(e.created) && operation == e.operation
                && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, key, revision, created, delta, operation) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Entry[" + bucket + " > " + key + " rev " + revision + " " + operation
                + " " + value.length + " bytes @ " + created + "]";
    }
}
