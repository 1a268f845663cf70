package dev.tend.kv.embedded;

import dev.tend.kv.KeyFilter;
import dev.tend.kv.Operation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The in-memory index of one log generation: for each key, its retained entries, oldest first, packed four longs
 * an entry (revision, file offset, created nanos, operation and value length). {@link #entries} hands out a key's
 * entries as an array that the index never changes afterwards, so a reader holding one sees a consistent key.
 *
 * <p>Laid out in a few flat arrays rather than a map of objects, so a big bucket costs little heap (about 60 bytes a
 * key of ten characters with one entry, against about 144 for a {@code HashMap<String, long[]>}): the keys' bytes
 * side by side in one {@code byte[]} (keys are ASCII; any other character is kept as UTF-8), each key's start,
 * length and hash in {@code int[]}s, a key's one entry inline in a {@code long[]} of four longs a key, the entries
 * of a key with more than one in an array of its own, and an open-addressing table (linear probing, at most half
 * full) from a key's hash to its number. Keys are numbered densely: removing one moves the last key into its number.
 * The key bytes of removed or moved keys are reclaimed once they are half of the bytes.
 *
 * <p>Applying a record trims the key to the history limit and drops everything before a PURGE, exactly as
 * JetStream's per-subject limits do. Not thread-safe: the bucket guards it with its lock.
 */
final class KeyIndex {
    static final int SLOTS = 4;
    private static final int MIN_KEYS = 8;

    // ---- the keys ----
    /** How many keys; they are numbered 0 to {@code size - 1}. */
    private int size;
    private byte[] keyBytes;
    /** Bytes of {@link #keyBytes} in use, live or not. */
    private int keyBytesUsed;
    /** Bytes of {@link #keyBytes} that belong to no key any more. */
    private int keyBytesDead;
    private int[] keyStart;
    private int[] keyLength;
    private int[] keyHash;
    /** Per key, its one entry (when {@link #more} holds none for it): {@link #SLOTS} longs a key. */
    private long[] inline;
    /** Per key, its entries when it has more than one, else null; itself null until a key has more than one. */
    private long[][] more;
    /** Key number + 1 per table slot, 0 for an empty one; a power of two long, at most half full. */
    private int[] table;

    // ---- the counters ----
    private long values;
    private long bytes;
    private long lastRevision;
    private long lastCreated;
    private long maxDropped;
    /** The file offset of the newest record applied (-1: none), so a snapshot can prove it matches its log. */
    private long lastOffset = -1;
    private long lastRecordRevision;

    KeyIndex(long startRevision, long droppedThrough) {
        this(startRevision, droppedThrough, MIN_KEYS);
    }

    /** An index sized for {@code expectedKeys} keys up front, so its arrays do not grow while they are added. */
    KeyIndex(long startRevision, long droppedThrough, int expectedKeys) {
        this(startRevision, droppedThrough, expectedKeys, Math.max(MIN_KEYS, expectedKeys) * 8L);
    }

    /**
     * An index sized for {@code expectedKeys} keys of {@code expectedKeyBytes} bytes in all (loading a snapshot,
     * which knows both or a bound; {@link #trimKeyBytes} gives back what a bound overestimated).
     */
    KeyIndex(long startRevision, long droppedThrough, int expectedKeys, long expectedKeyBytes) {
        this.lastRevision = startRevision;
        this.maxDropped = droppedThrough;
        int capacity = Math.max(MIN_KEYS, expectedKeys);
        keyBytes = new byte[(int) Math.max(16, Math.min(expectedKeyBytes, Integer.MAX_VALUE - 16))];
        keyStart = new int[capacity];
        keyLength = new int[capacity];
        keyHash = new int[capacity];
        inline = new long[capacity * SLOTS];
        table = new int[tableSizeFor(capacity)];
    }

    /**
     * A copy holding only {@code keys} (sharing their arrays, which are never changed in place) and every counter,
     * for validating a write batch without locking the index: applying the batch to the copy gives each write
     * the state the writes before it leave.
     */
    KeyIndex fork(Iterable<String> batchKeys) {
        KeyIndex f = new KeyIndex(lastRevision, maxDropped);
        for (String k : batchKeys) {
            long[] e = entries(k);
            if (e != null) {
                f.put(k, e);
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

    /** The key's entries, oldest first, or null when it has none. The caller may keep the array: it never changes. */
    long[] entries(String key) {
        int id = find(key);
        return id < 0 ? null : entriesOf(id);
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
        return size;
    }

    /** Calls {@code action} with every key and its entries, in no particular order. */
    void forEach(BiConsumer<String, long[]> action) {
        for (int id = 0; id < size; id++) {
            action.accept(keyOf(id), entriesOf(id));
        }
    }

    /** Keys matching the filters, unsorted. */
    List<String> matching(List<KeyFilter> filters) {
        List<String> out = new ArrayList<>();
        if (filters.size() == 1 && filters.get(0).isLiteral()) {
            String k = filters.get(0).pattern();
            if (find(k) >= 0) {
                out.add(k);
            }
            return out;
        }
        for (int id = 0; id < size; id++) {
            String k = keyOf(id);
            if (KeyFilter.anyMatches(filters, k)) {
                out.add(k);
            }
        }
        return out;
    }

    /**
     * Calls {@code action} with every key the filters match and its entries, in no particular order, making each key's
     * string only as it goes (a watch of a big bucket does not hold them all at once).
     */
    void forEachMatching(List<KeyFilter> filters, BiConsumer<String, long[]> action) {
        if (filters.size() == 1 && filters.get(0).isLiteral()) {
            String k = filters.get(0).pattern();
            int id = find(k);
            if (id >= 0) {
                action.accept(k, entriesOf(id));
            }
            return;
        }
        for (int id = 0; id < size; id++) {
            String k = keyOf(id);
            if (KeyFilter.anyMatches(filters, k)) {
                action.accept(k, entriesOf(id));
            }
        }
    }

    // ---- changes ----

    /** Applies one record (from a write or a replay), trimming the key to {@code history} entries. */
    void apply(LogRecord r, int history) {
        apply(r.key(), r.op(), r.revision(), r.offset(), r.createdNanos(), r.value().length, history);
    }

    void apply(String key, Operation op, long revision, long offset, long createdNanos, int valueLength,
               int history) {
        int id = find(key);
        long[] old = id < 0 ? null : entriesOf(id);
        int oldCount = old == null ? 0 : count(old);
        int keep = op == Operation.PURGE ? 0 : Math.min(oldCount, history - 1);
        int drop = oldCount - keep;
        for (int i = 0; i < drop; i++) {
            dropped(key.length(), old, i);
        }
        long opAndLength = ((long) LogFormat.opCode(op) << 32) | (valueLength & 0xffffffffL);
        if (keep == 0) {
            if (id < 0) {
                id = add(key);
            }
            setInline(id, revision, offset, createdNanos, opAndLength);
        } else {
            long[] e = new long[(keep + 1) * SLOTS];
            System.arraycopy(old, drop * SLOTS, e, 0, keep * SLOTS);
            int p = keep * SLOTS;
            e[p] = revision;
            e[p + 1] = offset;
            e[p + 2] = createdNanos;
            e[p + 3] = opAndLength;
            setEntries(id, e);
        }
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

    private void dropped(int keyLength, long[] e, int i) {
        values--;
        bytes -= LogFormat.recordLength(keyLength, valueLength(e, i));
        maxDropped = Math.max(maxDropped, revision(e, i));
    }

    /** Trims every key to {@code history} entries (after the bucket's history was lowered). */
    void retrim(int history) {
        if (more == null) {
            return;
        }
        for (int id = 0; id < size; id++) {
            long[] e = more[id];
            if (e == null) {
                continue;
            }
            int n = count(e);
            if (n > history) {
                int drop = n - history;
                for (int i = 0; i < drop; i++) {
                    dropped(keyLength[id], e, i);
                }
                setEntries(id, Arrays.copyOfRange(e, drop * SLOTS, e.length));
            }
        }
    }

    /** Drops every entry created at or before {@code cutoffNanos}; returns how many. */
    long expire(long cutoffNanos) {
        long removed = 0;
        int id = 0;
        while (id < size) {
            long[] e = entriesOf(id);
            int n = count(e);
            int drop = 0;
            while (drop < n && created(e, drop) <= cutoffNanos) {
                drop++;
            }
            if (drop == 0) {
                id++;
                continue;
            }
            for (int i = 0; i < drop; i++) {
                dropped(keyLength[id], e, i);
            }
            removed += drop;
            if (drop == n) {
                remove(id); // the last key moves into this number: look at it next
            } else {
                setEntries(id, Arrays.copyOfRange(e, drop * SLOTS, e.length));
                id++;
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
        int id = 0;
        while (id < size) {
            long[] e = entriesOf(id);
            int n = count(e);
            if (!op(e, n - 1).isMarker()) {
                id++;
                continue;
            }
            if (created(e, n - 1) <= cutoffNanos) {
                for (int i = 0; i < n; i++) {
                    dropped(keyLength[id], e, i);
                }
                remove(id); // the last key moves into this number: look at it next
                changed++;
            } else {
                if (n > 1) {
                    for (int i = 0; i < n - 1; i++) {
                        dropped(keyLength[id], e, i);
                    }
                    setEntries(id, Arrays.copyOfRange(e, (n - 1) * SLOTS, e.length));
                    changed++;
                }
                id++;
            }
        }
        return changed;
    }

    /** Drops everything; the revision sequence goes on. */
    void clear() {
        for (int id = 0; id < size; id++) {
            long[] e = entriesOf(id);
            for (int i = 0; i < count(e); i++) {
                maxDropped = Math.max(maxDropped, revision(e, i));
            }
        }
        Arrays.fill(table, 0);
        Arrays.fill(inline, 0, size * SLOTS, 0);
        if (more != null) {
            Arrays.fill(more, 0, size, null);
        }
        size = 0;
        keyBytesUsed = 0;
        keyBytesDead = 0;
        values = 0;
        bytes = 0;
    }

    /** Restores a key read from a snapshot, counting its entries. */
    void putSnapshotEntry(String key, long[] e) {
        put(key, e);
        countSnapshotEntries(key.length(), e);
    }

    /** Restores a key read from a snapshot, its ASCII bytes {@code length} bytes of {@code src} from {@code at}. */
    void putSnapshotEntry(byte[] src, int at, int length, long[] e) {
        int h = hashBytes(src, at, length);
        int id = findBytes(src, at, length, h);
        if (id < 0) {
            id = addBytes(src, at, length, h);
        }
        setEntries(id, e);
        countSnapshotEntries(length, e);
    }

    private void countSnapshotEntries(int keyLength, long[] e) {
        for (int i = 0; i < count(e); i++) {
            values++;
            bytes += LogFormat.recordLength(keyLength, valueLength(e, i));
            lastCreated = Math.max(lastCreated, created(e, i));
        }
    }

    /** Shrinks the key bytes' array to the bytes in use when more than an eighth of it is unused. */
    void trimKeyBytes() {
        int live = keyBytesUsed - keyBytesDead;
        if (keyBytes.length - live > keyBytes.length / 8) {
            byte[] packed = new byte[Math.max(16, live)];
            keyBytesUsed = copyKeysInto(packed);
            keyBytes = packed;
            keyBytesDead = 0;
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

    // ---- the layout ----

    /** Sets the key's entries (at least one) without counting them. */
    private void put(String key, long[] e) {
        int id = find(key);
        if (id < 0) {
            id = add(key);
        }
        setEntries(id, e);
    }

    private long[] entriesOf(int id) {
        long[] e = more == null ? null : more[id];
        if (e != null) {
            return e;
        }
        return Arrays.copyOfRange(inline, id * SLOTS, id * SLOTS + SLOTS);
    }

    private void setEntries(int id, long[] e) {
        if (e.length == SLOTS) {
            setInline(id, e[0], e[1], e[2], e[3]);
        } else {
            if (more == null) {
                more = new long[keyStart.length][];
            }
            more[id] = e;
        }
    }

    private void setInline(int id, long revision, long offset, long created, long opAndLength) {
        int p = id * SLOTS;
        inline[p] = revision;
        inline[p + 1] = offset;
        inline[p + 2] = created;
        inline[p + 3] = opAndLength;
        if (more != null) {
            more[id] = null;
        }
    }

    private String keyOf(int id) {
        return new String(keyBytes, keyStart[id], keyLength[id], StandardCharsets.UTF_8);
    }

    /** The key's number, or -1. */
    private int find(String key) {
        int n = key.length();
        int h = 0;
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                byte[] b = key.getBytes(StandardCharsets.UTF_8);
                return findBytes(b, 0, b.length, hashBytes(b, 0, b.length));
            }
            h = 31 * h + c;
        }
        int mask = table.length - 1;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            int t = table[slot];
            if (t == 0) {
                return -1;
            }
            int id = t - 1;
            if (keyHash[id] == h && keyLength[id] == n && sameAscii(id, key)) {
                return id;
            }
        }
    }

    private boolean sameAscii(int id, String key) {
        int at = keyStart[id];
        for (int i = 0; i < key.length(); i++) {
            if (keyBytes[at + i] != (byte) key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int findBytes(byte[] src, int at, int length, int h) {
        int mask = table.length - 1;
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            int t = table[slot];
            if (t == 0) {
                return -1;
            }
            int id = t - 1;
            if (keyHash[id] == h && keyLength[id] == length
                    && Arrays.equals(keyBytes, keyStart[id], keyStart[id] + length, src, at, at + length)) {
                return id;
            }
        }
    }

    private int add(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        return addBytes(b, 0, b.length, hashBytes(b, 0, b.length));
    }

    /** Adds a key that is not there, with no entries yet; returns its number. */
    private int addBytes(byte[] src, int at, int length, int h) {
        if (size == keyStart.length) {
            growKeys(size + (size >> 1) + 1);
        }
        if (keyBytesUsed + length > keyBytes.length) {
            packKeyBytes(length);
        }
        int id = size++;
        System.arraycopy(src, at, keyBytes, keyBytesUsed, length);
        keyStart[id] = keyBytesUsed;
        keyLength[id] = length;
        keyHash[id] = h;
        keyBytesUsed += length;
        if (size > table.length / 2) {
            rehash(table.length * 2);
        } else {
            insert(id);
        }
        return id;
    }

    /** Removes the key numbered {@code id}; the last key takes its number. */
    private void remove(int id) {
        unlink(id);
        keyBytesDead += keyLength[id];
        int last = size - 1;
        if (id != last) {
            unlink(last);
            keyStart[id] = keyStart[last];
            keyLength[id] = keyLength[last];
            keyHash[id] = keyHash[last];
            System.arraycopy(inline, last * SLOTS, inline, id * SLOTS, SLOTS);
            if (more != null) {
                more[id] = more[last];
            }
            insert(id);
        }
        if (more != null) {
            more[last] = null;
        }
        Arrays.fill(inline, last * SLOTS, last * SLOTS + SLOTS, 0);
        size = last;
    }

    private void insert(int id) {
        int mask = table.length - 1;
        int slot = spread(keyHash[id]) & mask;
        while (table[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        table[slot] = id + 1;
    }

    /** Takes the key out of the table, shifting back the keys probed past it (no tombstones). */
    private void unlink(int id) {
        int mask = table.length - 1;
        int slot = spread(keyHash[id]) & mask;
        while (table[slot] != id + 1) {
            slot = (slot + 1) & mask;
        }
        int hole = slot;
        for (int s = (hole + 1) & mask; table[s] != 0; s = (s + 1) & mask) {
            int home = spread(keyHash[table[s] - 1]) & mask;
            // The entry at s may fill the hole when its home is not in (hole, s], cyclically.
            boolean between = hole <= s ? home > hole && home <= s : home > hole || home <= s;
            if (!between) {
                table[hole] = table[s];
                hole = s;
            }
        }
        table[hole] = 0;
    }

    private void rehash(int tableSize) {
        table = new int[tableSize];
        for (int id = 0; id < size; id++) {
            insert(id);
        }
    }

    private void growKeys(int capacity) {
        keyStart = Arrays.copyOf(keyStart, capacity);
        keyLength = Arrays.copyOf(keyLength, capacity);
        keyHash = Arrays.copyOf(keyHash, capacity);
        inline = Arrays.copyOf(inline, capacity * SLOTS);
        if (more != null) {
            more = Arrays.copyOf(more, capacity);
        }
    }

    /** Makes room for {@code length} more key bytes: drops the dead bytes when they are many, else grows. */
    private void packKeyBytes(int length) {
        int live = keyBytesUsed - keyBytesDead;
        int capacity = keyBytes.length;
        if (keyBytesDead < live || live + length > capacity) {
            capacity = Math.max(capacity + (capacity >> 1), live + length + (live >> 1)) + 16;
        }
        byte[] packed = new byte[capacity];
        keyBytesUsed = copyKeysInto(packed);
        keyBytes = packed;
        keyBytesDead = 0;
    }

    /** Copies the live keys' bytes side by side into {@code packed}, pointing the keys there; returns the bytes. */
    private int copyKeysInto(byte[] packed) {
        int used = 0;
        for (int id = 0; id < size; id++) {
            System.arraycopy(keyBytes, keyStart[id], packed, used, keyLength[id]);
            keyStart[id] = used;
            used += keyLength[id];
        }
        return used;
    }

    private static int hashBytes(byte[] b, int at, int length) {
        int h = 0;
        for (int i = at; i < at + length; i++) {
            h = 31 * h + (b[i] & 0xff);
        }
        return h;
    }

    /** Spreads a hash over the table's bits (MurmurHash3's finaliser). */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int tableSizeFor(int keys) {
        int wanted = Math.max(16, keys * 2);
        return Integer.highestOneBit(wanted - 1) << 1;
    }
}
