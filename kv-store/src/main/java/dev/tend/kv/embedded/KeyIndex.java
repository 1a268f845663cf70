package dev.tend.kv.embedded;

import dev.tend.kv.KeyFilter;
import dev.tend.kv.Operation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The in-memory index of one log generation: for each key, its retained entries, oldest first, packed four longs
 * an entry (revision, file offset, created nanos, operation and value length) so a million keys fit in little
 * heap. Arrays are replaced, never changed in place, so a reader holding one sees a consistent key.
 *
 * <p>Applying a record trims the key to the history limit and drops everything before a PURGE, exactly as
 * JetStream's per-subject limits do. Not thread-safe: the bucket guards it with its lock.
 */
final class KeyIndex {
    static final int SLOTS = 4;

    private final Map<String, long[]> keys;
    private long values;
    private long bytes;
    private long lastRevision;
    private long lastCreated;
    private long maxDropped;
    /** The file offset of the newest record applied (-1: none), so a snapshot can prove it matches its log. */
    private long lastOffset = -1;
    private long lastRecordRevision;

    KeyIndex(long startRevision, long droppedThrough) {
        this(new HashMap<>(), startRevision, droppedThrough);
    }

    /** An index sized for {@code expectedKeys} keys up front (loading a snapshot), so the map never rehashes. */
    KeyIndex(long startRevision, long droppedThrough, int expectedKeys) {
        this(new HashMap<>(Math.max(16, (int) Math.min(1L << 30, expectedKeys * 4L / 3 + 1))), startRevision,
                droppedThrough);
    }

    private KeyIndex(Map<String, long[]> keys, long lastRevision, long maxDropped) {
        this.keys = keys;
        this.lastRevision = lastRevision;
        this.maxDropped = maxDropped;
    }

    /**
     * A copy holding only {@code keys} (sharing their arrays, which are never changed in place) and every counter,
     * for validating a write batch without locking the index: applying the batch to the copy gives each write
     * the state the writes before it leave.
     */
    KeyIndex fork(Iterable<String> batchKeys) {
        KeyIndex f = new KeyIndex(new HashMap<>(), lastRevision, maxDropped);
        for (String k : batchKeys) {
            long[] e = keys.get(k);
            if (e != null) {
                f.keys.put(k, e);
            }
        }
        f.values = values;
        f.bytes = bytes;
        f.lastCreated = lastCreated;
        f.lastOffset = lastOffset;
        f.lastRecordRevision = lastRecordRevision;
        return f;
    }

    // ---- packed entry accessors ----

    static long revision(long[] e, int i) {
        return e[i * SLOTS];
    }

    static long offset(long[] e, int i) {
        return e[i * SLOTS + 1];
    }

    static long created(long[] e, int i) {
        return e[i * SLOTS + 2];
    }

    static Operation op(long[] e, int i) {
        return LogFormat.operation((int) (e[i * SLOTS + 3] >>> 32));
    }

    static int valueLength(long[] e, int i) {
        return (int) e[i * SLOTS + 3];
    }

    static int count(long[] e) {
        return e.length / SLOTS;
    }

    static int recordLength(String key, long[] e, int i) {
        return LogFormat.recordLength(key.length(), valueLength(e, i));
    }

    // ---- queries ----

    long[] entries(String key) {
        return keys.get(key);
    }

    long values() {
        return values;
    }

    long bytes() {
        return bytes;
    }

    long lastRevision() {
        return lastRevision;
    }

    long lastCreated() {
        return lastCreated;
    }

    /** The highest revision this index (or an earlier compaction) dropped. */
    long maxDropped() {
        return maxDropped;
    }

    int keyCount() {
        return keys.size();
    }

    void forEach(BiConsumer<String, long[]> action) {
        keys.forEach(action);
    }

    /** Keys matching the filters, unsorted. */
    List<String> matching(List<KeyFilter> filters) {
        List<String> out = new ArrayList<>();
        if (filters.size() == 1 && filters.get(0).isLiteral()) {
            String k = filters.get(0).pattern();
            if (keys.containsKey(k)) {
                out.add(k);
            }
            return out;
        }
        for (String k : keys.keySet()) {
            if (KeyFilter.anyMatches(filters, k)) {
                out.add(k);
            }
        }
        return out;
    }

    // ---- changes ----

    /** Applies one record (from a write or a replay), trimming the key to {@code history} entries. */
    void apply(LogRecord r, int history) {
        apply(r.key(), r.op(), r.revision(), r.offset(), r.createdNanos(), r.value().length, history);
    }

    void apply(String key, Operation op, long revision, long offset, long createdNanos, int valueLength,
               int history) {
        long[] old = keys.get(key);
        int oldCount = old == null ? 0 : count(old);
        int keep = op == Operation.PURGE ? 0 : Math.min(oldCount, history - 1);
        int drop = oldCount - keep;
        for (int i = 0; i < drop; i++) {
            dropped(key, old, i);
        }
        long[] e = new long[(keep + 1) * SLOTS];
        if (keep > 0) {
            System.arraycopy(old, drop * SLOTS, e, 0, keep * SLOTS);
        }
        int p = keep * SLOTS;
        e[p] = revision;
        e[p + 1] = offset;
        e[p + 2] = createdNanos;
        e[p + 3] = ((long) LogFormat.opCode(op) << 32) | (valueLength & 0xffffffffL);
        keys.put(key, e);
        values++;
        bytes += LogFormat.recordLength(key.length(), valueLength);
        lastRevision = Math.max(lastRevision, revision);
        if (revision >= lastRecordRevision) {
            lastRecordRevision = revision;
            lastOffset = offset;
        }
        lastCreated = Math.max(lastCreated, createdNanos);
    }

    /**
     * Counts a record of a key this index does not hold (a write's partial index, {@link PointWrite}) toward the last
     * revision and time, as applying it would; the key's entries and the value and byte counts are not kept.
     */
    void passOver(long revision, long createdNanos) {
        lastRevision = Math.max(lastRevision, revision);
        lastCreated = Math.max(lastCreated, createdNanos);
    }

    long lastOffset() {
        return lastOffset;
    }

    /** The revision of the record at {@link #lastOffset()}. */
    long lastRecordRevision() {
        return lastRecordRevision;
    }

    private void dropped(String key, long[] e, int i) {
        values--;
        bytes -= recordLength(key, e, i);
        maxDropped = Math.max(maxDropped, revision(e, i));
    }

    /** Trims every key to {@code history} entries (after the bucket's history was lowered). */
    void retrim(int history) {
        for (Map.Entry<String, long[]> me : keys.entrySet()) {
            long[] e = me.getValue();
            int n = count(e);
            if (n > history) {
                int drop = n - history;
                for (int i = 0; i < drop; i++) {
                    dropped(me.getKey(), e, i);
                }
                long[] kept = new long[history * SLOTS];
                System.arraycopy(e, drop * SLOTS, kept, 0, kept.length);
                me.setValue(kept);
            }
        }
    }

    /** Drops every entry created at or before {@code cutoffNanos}; returns how many. */
    long expire(long cutoffNanos) {
        long removed = 0;
        var it = keys.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, long[]> me = it.next();
            long[] e = me.getValue();
            int n = count(e);
            int drop = 0;
            while (drop < n && created(e, drop) <= cutoffNanos) {
                drop++;
            }
            if (drop == 0) {
                continue;
            }
            for (int i = 0; i < drop; i++) {
                dropped(me.getKey(), e, i);
            }
            removed += drop;
            if (drop == n) {
                it.remove();
            } else {
                long[] kept = new long[(n - drop) * SLOTS];
                System.arraycopy(e, drop * SLOTS, kept, 0, kept.length);
                me.setValue(kept);
            }
        }
        return removed;
    }

    /**
     * JetStream's PurgeDeletes: keys whose latest entry is a marker created at or before {@code cutoffNanos} lose
     * every entry; newer markers keep only themselves. Returns how many keys lost entries.
     */
    long purgeDeletes(long cutoffNanos) {
        long changed = 0;
        var it = keys.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, long[]> me = it.next();
            long[] e = me.getValue();
            int n = count(e);
            if (!op(e, n - 1).isMarker()) {
                continue;
            }
            if (created(e, n - 1) <= cutoffNanos) {
                for (int i = 0; i < n; i++) {
                    dropped(me.getKey(), e, i);
                }
                it.remove();
                changed++;
            } else if (n > 1) {
                for (int i = 0; i < n - 1; i++) {
                    dropped(me.getKey(), e, i);
                }
                long[] kept = new long[SLOTS];
                System.arraycopy(e, (n - 1) * SLOTS, kept, 0, SLOTS);
                me.setValue(kept);
                changed++;
            }
        }
        return changed;
    }

    /** Drops everything; the revision sequence goes on. */
    void clear() {
        keys.forEach((k, e) -> {
            for (int i = 0; i < count(e); i++) {
                maxDropped = Math.max(maxDropped, revision(e, i));
            }
        });
        keys.clear();
        values = 0;
        bytes = 0;
    }

    /** Restores counters read from a snapshot. */
    void putSnapshotEntry(String key, long[] e) {
        keys.put(key, e);
        for (int i = 0; i < count(e); i++) {
            values++;
            bytes += recordLength(key, e, i);
            lastCreated = Math.max(lastCreated, created(e, i));
        }
    }

    void restoreLastRecord(long offset, long revision) {
        this.lastOffset = offset;
        this.lastRecordRevision = revision;
    }

    void restoreCounters(long lastRevision, long lastCreated, long maxDropped) {
        this.lastRevision = Math.max(this.lastRevision, lastRevision);
        this.lastCreated = Math.max(this.lastCreated, lastCreated);
        this.maxDropped = Math.max(this.maxDropped, maxDropped);
    }
}
