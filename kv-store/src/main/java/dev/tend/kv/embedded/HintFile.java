package dev.tend.kv.embedded;

import dev.tend.kv.KeyFilter;
import dev.tend.kv.Operation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An index snapshot (Bitcask's hint file): the index of one log generation as of a log offset, so a process can
 * open a big bucket without replaying its whole log, and answer a read of one key without loading the index at all
 * ({@link #lookup}). It is only a shortcut: a missing, stale or damaged snapshot is ignored and the log replayed.
 *
 * <p>The keys are laid out in a hash table of fixed-size slots, so one key is found with three small reads (the
 * header, its slot, the slot's keys) whatever the bucket's size. Format version 2 (version 1 files, a plain list of
 * keys, are ignored like any other unusable snapshot and replaced by the next snapshot written):
 *
 * <pre>
 * header, 128 bytes: long magic, int version, int header length, long generation, long log offset, long last
 *     revision, long offset and long revision of the newest record (-1 and 0: none), long last created, long max
 *     dropped, int key count, int slot count (a power of two), long slot table start, long keys start, long file
 *     length, long values and long bytes (the index's counts, {@link #totals}), int 1 when those two are there
 *     (zeros in snapshots written before them: {@link #TOTALS_AT}), int CRC32C of the header's first 124 bytes
 * slot table: per slot, long start and int length of its keys, int CRC32C of (int slot number, that start and
 *     length, the keys' bytes)
 * keys, slot after slot: unsigned short key length, key (ASCII), unsigned byte entry count, entries (4 longs each)
 * int CRC32C of everything before it
 * </pre>
 *
 * A key's slot is {@link #slotOf}: a mix of {@link String#hashCode()} (whose value the language fixes) masked to
 * the slot count, about four keys a slot. {@link Encoded#write} also writes the sorted keys file of the same index
 * ({@link SortedKeysFile}), from the records it has just laid out (for a bucket without a TTL).
 */
final class HintFile {
    private static final LazyLogger LOG = new LazyLogger(HintFile.class);
    private static final long MAGIC = 0x54454e444b564958L; // "TENDKVIX"
    static final int VERSION = 2;
    static final int HEADER_LENGTH = 128;
    private static final int HEADER_CRC_AT = HEADER_LENGTH - 4;
    static final int SLOT_LENGTH = 16;
    private static final int KEYS_PER_SLOT = 4;
    private static final int TRAILER_LENGTH = 4;
    /**
     * Where the header holds the values and bytes as the index counts them, and (at {@link #TOTALS_FLAG_AT}) 1 when it
     * does. Snapshots written before have zeros there, which every version reads past: a reader that finds no 1
     * counts the keys instead ({@link #totals}).
     */
    static final int TOTALS_AT = 104;
    private static final int TOTALS_FLAG_AT = 120;
    /** An entry's bytes: revision, offset, created, and the operation's code (high int) and value length (low). */
    private static final int ENTRY_LENGTH = KeyIndex.SLOTS * Long.BYTES;
    /**
     * The bytes a snapshot is read in when it is loaded as an index; more than the longest key record (a key of
     * 65,535 bytes with 255 entries, 73,698 bytes), so every record fits in one piece.
     */
    static final int PIECE = 256 * 1024;

    /** A loaded snapshot: the index as of {@code offset}. */
    record Snapshot(KeyIndex index, long offset) {
    }

    /**
     * One key's entries as of the snapshot's {@code offset}: {@code entries} is null when the key had none; with the
     * bucket's last revision and last created time as of that offset (what a write without the index starts from).
     */
    record Lookup(long[] entries, long offset, long lastRevision, long lastCreated) {
    }

    /** The header's fields, checked; {@code totals} null in a snapshot written before the header held them. */
    record Header(long offset, long lastRevision, long lastOffset, long lastRecordRevision,
                          long lastCreated, long maxDropped, int keyCount, int slotCount, long keysStart,
                          long fileLength, Totals totals) {
    }

    /** A snapshot in another format version: not damage, only of no use to this version. */
    private static final class OtherVersionException extends IOException {
        OtherVersionException(String message) {
            super(message);
        }
    }

    private HintFile() {
    }

    static Path path(Path dir, long generation) {
        return dir.resolve("index-" + generation + ".hint");
    }

    /** The slot of {@code key} in a table of {@code slots} slots (a power of two). Part of the file format. */
    static int slotOf(String key, int slots) {
        int h = key.hashCode();
        // MurmurHash3's finaliser: spreads keys that differ only in their last characters over the whole table.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h & (slots - 1);
    }

    /** The smallest power of two that gives {@code keys} keys about {@link #KEYS_PER_SLOT} a slot. */
    static int slotCount(int keys) {
        int wanted = Math.max(1, (keys + KEYS_PER_SLOT - 1) / KEYS_PER_SLOT);
        return wanted == 1 ? 1 : Integer.highestOneBit(wanted - 1) << 1;
    }

    // =====================================================================================================
    // Writing
    // =====================================================================================================

    /**
     * A snapshot encoded and not yet written: the bytes of the snapshot file ({@code all}) of {@code generation} as of
     * log offset {@code offset}, and, when {@code sortedKeys}, where in them the records of the keys whose latest entry
     * is a value start ({@code live[0..liveCount)}), for the sorted keys file. A copy: it shares nothing with the index
     * it was encoded from, so it is written without the lock that guards the index ({@link LogView#writeSnapshot}).
     */
    record Encoded(long generation, long offset, byte[] all, int[] live, int liveCount, long lastOffset,
                   long lastRecordRevision, boolean sortedKeys) {
        /**
         * Writes the snapshot atomically (temporary file, force, rename), then, when {@link #sortedKeys}, the sorted
         * keys file of the same index ({@link SortedKeysFile}).
         */
        void write(StorageIo io, Path dir) throws IOException {
            Path target = path(dir, generation);
            // A unique temporary name: several processes may write a snapshot of the same generation at once.
            Path tmp = dir.resolve(target.getFileName() + "." + Long.toHexString(System.nanoTime()
                    ^ ProcessHandle.current().pid()) + ".tmp");
            try (DataFile f = io.open(tmp, true)) {
                f.truncate(0);
                f.write(ByteBuffer.wrap(all), 0);
                f.force();
            }
            io.move(tmp, target);
            if (!sortedKeys) {
                return;
            }
            try {
                SortedKeysFile.write(io, dir, generation, offset, lastOffset, lastRecordRevision, all, live,
                        liveCount);
            } catch (IOException e) {
                // Only a shortcut for keys: without it they are sorted from the snapshot, as before it existed.
                LOG.get().warn("could not write the sorted keys of {}: {}", target, e.toString());
            }
        }
    }

    /**
     * Encodes the snapshot of {@code index} as of log offset {@code offset} (the caller holds a lock that keeps the
     * index still); {@link Encoded#write} writes it, with the sorted keys file when {@code sortedKeys}.
     */
    static Encoded encode(long generation, long offset, KeyIndex index, boolean sortedKeys) throws IOException {
        int n = index.keyCount();
        String[] keys = new String[n];
        long[][] entries = new long[n][];
        int[] filled = new int[1];
        index.forEach((key, e) -> {
            keys[filled[0]] = key;
            entries[filled[0]] = e;
            filled[0]++;
        });
        int slots = slotCount(n);
        // Group the keys by slot (a counting sort) and size each slot's bytes.
        int[] slotOfKey = new int[n];
        long[] slotBytes = new long[slots];
        int[] keysInSlot = new int[slots + 1];
        for (int i = 0; i < n; i++) {
            int s = slotOf(keys[i], slots);
            slotOfKey[i] = s;
            slotBytes[s] += recordLength(keys[i], entries[i]);
            keysInSlot[s + 1]++;
        }
        for (int s = 0; s < slots; s++) {
            keysInSlot[s + 1] += keysInSlot[s];
        }
        long values = 0;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            // As {@link #countKey} counts them back: every entry, and its record's length.
            for (int j = 0; j < KeyIndex.count(entries[i]); j++) {
                values++;
                int valueLength = (int) entries[i][j * KeyIndex.SLOTS + KeyIndex.SLOTS - 1];
                bytes += LogFormat.recordLength(keys[i].length(), valueLength);
            }
        }
        int[] order = new int[n];
        int[] next = keysInSlot.clone();
        for (int i = 0; i < n; i++) {
            order[next[slotOfKey[i]]++] = i;
        }
        long keysStart = HEADER_LENGTH + (long) slots * SLOT_LENGTH;
        long total = keysStart + TRAILER_LENGTH;
        for (long b : slotBytes) {
            total += b;
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IOException("an index of " + n + " keys is too big for a snapshot (" + total + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total);
        byte[] all = buf.array();
        buf.putLong(MAGIC).putInt(VERSION).putInt(HEADER_LENGTH).putLong(generation).putLong(offset)
                .putLong(index.lastRevision()).putLong(index.lastOffset()).putLong(index.lastRecordRevision())
                .putLong(index.lastCreated()).putLong(index.maxDropped()).putInt(n).putInt(slots)
                .putLong(HEADER_LENGTH).putLong(keysStart).putLong(total).putLong(values).putLong(bytes).putInt(1);
        CRC32C crc = new CRC32C();
        crc.update(all, 0, HEADER_CRC_AT);
        buf.putInt(HEADER_CRC_AT, (int) crc.getValue());
        buf.position((int) keysStart);
        // Where the records of the keys whose latest entry is a value start: the sorted keys file's keys.
        int[] live = new int[n];
        int liveCount = 0;
        for (int s = 0; s < slots; s++) {
            int start = buf.position();
            for (int k = keysInSlot[s]; k < keysInSlot[s + 1]; k++) {
                int i = order[k];
                if (KeyIndex.op(entries[i], KeyIndex.count(entries[i]) - 1) == Operation.PUT) {
                    live[liveCount++] = buf.position();
                }
                buf.putShort((short) keys[i].length());
                buf.put(keys[i].getBytes(StandardCharsets.US_ASCII));
                buf.put((byte) KeyIndex.count(entries[i]));
                for (long v : entries[i]) {
                    buf.putLong(v);
                }
            }
            int length = buf.position() - start;
            buf.putLong(HEADER_LENGTH + s * SLOT_LENGTH, start).putInt(HEADER_LENGTH + s * SLOT_LENGTH + 8, length)
                    .putInt(HEADER_LENGTH + s * SLOT_LENGTH + 12, slotChecksum(s, start, length, all, start));
        }
        crc.reset();
        crc.update(all, 0, all.length - TRAILER_LENGTH);
        buf.putInt(all.length - TRAILER_LENGTH, (int) crc.getValue());
        return new Encoded(generation, offset, all, live, liveCount, index.lastOffset(), index.lastRecordRevision(),
                sortedKeys);
    }

    private static int recordLength(String key, long[] e) {
        return 2 + key.length() + 1 + e.length * Long.BYTES;
    }

    /** The checksum of one slot: its number, where its keys are and the keys themselves. */
    private static int slotChecksum(int slot, long start, int length, byte[] keys, int keysAt) {
        byte[] fields = ByteBuffer.allocate(SLOT_LENGTH).putInt(slot).putLong(start).putInt(length).array();
        CRC32C crc = new CRC32C();
        crc.update(fields, 0, 16);
        crc.update(keys, keysAt, length);
        return (int) crc.getValue();
    }

    // =====================================================================================================
    // Reading
    // =====================================================================================================

    /** Checks the header read from a file of {@code size} bytes against the log it should belong to. */
    private static Header header(ByteBuffer in, long size, long generation, DataFile log, long recordsStart,
                                 long logLength) throws IOException {
        if (size < HEADER_LENGTH + TRAILER_LENGTH) {
            throw new IOException("bad size " + size);
        }
        if (in.getLong(0) != MAGIC) {
            throw new IOException("not an index snapshot");
        }
        int version = in.getInt(8);
        if (version != VERSION) {
            throw new OtherVersionException("format version " + version + " (this version of Tend reads "
                    + VERSION + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(in.array(), in.arrayOffset(), HEADER_CRC_AT);
        if ((int) crc.getValue() != in.getInt(HEADER_CRC_AT) || in.getInt(12) != HEADER_LENGTH) {
            throw new IOException("its header is damaged");
        }
        if (in.getLong(16) != generation) {
            throw new IOException("not a snapshot of generation " + generation);
        }
        Totals totals = in.getInt(TOTALS_FLAG_AT) == 1 ? new Totals(in.getLong(TOTALS_AT), in.getLong(TOTALS_AT + 8))
                : null;
        Header h = new Header(in.getLong(24), in.getLong(32), in.getLong(40), in.getLong(48), in.getLong(56),
                in.getLong(64), in.getInt(72), in.getInt(76), in.getLong(88), in.getLong(96), totals);
        int slots = h.slotCount();
        if (h.fileLength() != size || slots <= 0 || Integer.bitCount(slots) != 1 || in.getLong(80) != HEADER_LENGTH
                || h.keysStart() != HEADER_LENGTH + (long) slots * SLOT_LENGTH || h.keysStart() > size - TRAILER_LENGTH
                || h.keyCount() < 0) {
            throw new IOException("its header is inconsistent");
        }
        if (h.offset() < recordsStart || h.offset() > logLength) {
            throw new IOException("offset " + h.offset() + " beyond the log's " + logLength + " bytes");
        }
        if (!matchesLog(log, recordsStart, h.offset(), h.lastRecordRevision(), h.lastOffset())) {
            throw new IOException("it does not match the log (the log was cut and rewritten after it)");
        }
        return h;
    }

    /**
     * True when the record a snapshot (or a sorted keys file, {@link SortedKeysFile}) ends with is in the log where it
     * says, with its revision.
     */
    static boolean matchesLog(DataFile log, long recordsStart, long offset, long lastRevision,
                                      long lastOffset) throws IOException {
        if (lastOffset < 0) {
            return offset == recordsStart;
        }
        if (lastOffset < recordsStart || lastOffset >= offset) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(offset - lastOffset, 1 << 20));
        log.readFully(b, lastOffset);
        b.flip();
        LogRecord r = LogFormat.decode(b, lastOffset);
        return r != null && r.revision() == lastRevision && r.end() == offset;
    }

    /**
     * Reads the key record at {@code p} of {@code b} into the index and returns where the next starts, or -1 when the
     * record does not end before {@code limit} (the rest is in the next piece). A method of its own rather than the
     * loop's body, so the JIT can compile it after a few hundred keys instead of waiting for the whole loop to be
     * compiled (on-stack replacement, after tens of thousands of iterations): a short-lived process loads a big
     * snapshot mostly cold.
     */
    private static int readKey(byte[] b, int p, int limit, KeyIndex index) throws IOException {
        if (limit - p < 3) {
            return -1;
        }
        int kl = ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
        if (p + 2 + kl >= limit) {
            return -1;
        }
        int n = b[p + 2 + kl] & 0xff;
        int at = p + 3 + kl;
        int next = at + n * ENTRY_LENGTH;
        if (next > limit) {
            return -1;
        }
        if (n == 0) {
            throw new IOException("a key has no entries");
        }
        long[] e = new long[n * KeyIndex.SLOTS];
        for (int j = 0; j < e.length; j++) {
            e[j] = longAt(b, at + j * Long.BYTES);
        }
        index.putSnapshotEntry(b, p + 2, kl, e);
        return next;
    }

    /**
     * Reads the whole snapshot of {@code generation} into an index if it exists, is intact and matches the log;
     * otherwise logs why not and returns null.
     */
    static Snapshot read(StorageIo io, Path dir, long generation, DataFile log, long recordsStart) {
        return read(io, dir, generation, log, recordsStart, PIECE);
    }

    /** {@link #read} in pieces of {@code piece} bytes, at least the longest key record's length. */
    static Snapshot read(StorageIo io, Path dir, long generation, DataFile log, long recordsStart, int piece) {
        Path p = path(dir, generation);
        if (!Files.exists(p)) {
            return null;
        }
        try (DataFile f = io.open(p, false)) {
            return readIndex(f, generation, log, recordsStart, piece);
        } catch (OtherVersionException e) {
            // Expected once after an upgrade; the next snapshot written replaces it.
            LOG.get().debug("ignoring index snapshot {}: {}; replaying the log instead", p, e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.get().warn("ignoring index snapshot {}: {}; replaying the log instead", p, e.getMessage());
            return null;
        }
    }

    /**
     * Decodes the snapshot into an index as it is read, in pieces of {@code pieceLength} bytes, so that loading a big
     * bucket never holds the whole file besides the index (the heap's high-water mark, which the collector keeps
     * committed); the checksum, over the same pieces, is compared at the end, and the index dropped on a mismatch.
     * Decoded straight from the bytes (not through a DataInputStream): this runs in every short-lived process that
     * loads a big bucket's index, mostly before the JIT has compiled anything.
     */
    private static Snapshot readIndex(DataFile f, long generation, DataFile log, long recordsStart, int pieceLength)
            throws IOException {
        long size = f.size();
        if (size < HEADER_LENGTH + TRAILER_LENGTH || size > Integer.MAX_VALUE) {
            throw new IOException("bad size " + size);
        }
        ByteBuffer head = readAt(f, 0, HEADER_LENGTH);
        Header h = header(head, size, generation, log, recordsStart, log.size());
        long end = size - TRAILER_LENGTH;
        int keys = h.keyCount();
        if (keys > (end - h.keysStart()) / 3) {
            throw new IOException("bad key count " + keys);
        }
        CRC32C crc = new CRC32C();
        crc.update(head.array(), 0, HEADER_LENGTH);
        byte[] piece = new byte[(int) Math.min(pieceLength, end)];
        long pos = HEADER_LENGTH;
        while (pos < h.keysStart()) { // the slot table: only checked, the index does not need it
            int len = (int) Math.min(piece.length, h.keysStart() - pos);
            f.readFully(ByteBuffer.wrap(piece, 0, len), pos);
            crc.update(piece, 0, len);
            pos += len;
        }
        // Every key has at least one entry: the keys' bytes are at most the rest less three bytes and one entry a key.
        long keyBytes = Math.max(0, end - h.keysStart() - (long) keys * (3 + ENTRY_LENGTH));
        KeyIndex index = new KeyIndex(0, 0, keys, keyBytes);
        int have = 0;
        int decoded = 0;
        while (true) {
            int len = (int) Math.min(piece.length - have, end - pos);
            if (len > 0) {
                f.readFully(ByteBuffer.wrap(piece, have, len), pos);
                crc.update(piece, have, len);
                pos += len;
                have += len;
            }
            int p = 0;
            while (decoded < keys) {
                int next = readKey(piece, p, have, index);
                if (next < 0) {
                    break;
                }
                p = next;
                decoded++;
            }
            System.arraycopy(piece, p, piece, 0, have - p);
            have -= p;
            if (pos == end || (len == 0 && p == 0) || decoded == keys) {
                break;
            }
        }
        if (decoded != keys || have != 0 || pos != end || index.keyCount() != keys) {
            throw new IOException("its keys do not add up to its key count " + keys);
        }
        if ((int) crc.getValue() != readAt(f, end, TRAILER_LENGTH).getInt(0)) {
            throw new IOException("checksum mismatch");
        }
        index.trimKeyBytes();
        index.restoreCounters(h.lastRevision(), h.lastCreated(), h.maxDropped());
        index.restoreLastRecord(h.lastOffset(), h.lastRecordRevision());
        return new Snapshot(index, h.offset());
    }

    /** The big-endian long at {@code at}. */
    private static long longAt(byte[] b, int at) {
        return ((long) intAt(b, at) << 32) | (intAt(b, at + 4) & 0xffffffffL);
    }

    /**
     * A whole snapshot read into memory and checked (its checksum, its header against the log), for the scans that
     * need every key but not an index ({@link SnapshotScan}): {@link #totals}, {@link #sortedLiveKeys}, {@link #find}.
     */
    record Whole(byte[] all, Header header) {
        /** The log offset the snapshot is the index of. */
        long offset() {
            return header.offset();
        }

        long lastRevision() {
            return header.lastRevision();
        }
    }

    /**
     * The snapshot of {@code generation} read whole and checked against the log, whose committed length is
     * {@code logLength}; null when there is none.
     *
     * @throws IOException when it is damaged, stale or in another format
     */
    static Whole readWhole(StorageIo io, Path dir, long generation, DataFile log, long recordsStart, long logLength)
            throws IOException {
        Path p = path(dir, generation);
        if (!Files.exists(p)) {
            return null;
        }
        return readFile(io, p, generation, log, recordsStart, logLength);
    }

    private static Whole readFile(StorageIo io, Path p, long generation, DataFile log, long recordsStart,
                                  long logLength) throws IOException {
        try (DataFile f = io.open(p, false)) {
            long size = f.size();
            if (size < HEADER_LENGTH + TRAILER_LENGTH || size > Integer.MAX_VALUE) {
                throw new IOException("bad size " + size);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            f.readFully(buf, 0);
            byte[] all = buf.array();
            CRC32C crc = new CRC32C();
            crc.update(all, 0, all.length - TRAILER_LENGTH);
            if ((int) crc.getValue() != buf.getInt(all.length - TRAILER_LENGTH)) {
                throw new IOException("checksum mismatch");
            }
            Header h = header(buf, size, generation, log, recordsStart, logLength);
            if (h.keyCount() > (size - TRAILER_LENGTH - h.keysStart()) / 3) {
                throw new IOException("bad key count " + h.keyCount());
            }
            return new Whole(all, h);
        }
    }

    /** Values and their bytes, as the index counts them ({@link KeyIndex#values()}, {@link KeyIndex#bytes()}). */
    record Totals(long values, long bytes) {
    }

    /** Every entry of every key of a whole snapshot, counted without making the keys. */
    static Totals totals(Whole w) throws IOException {
        byte[] all = w.all();
        int end = all.length - TRAILER_LENGTH;
        int p = (int) w.header().keysStart();
        long[] counted = new long[2];
        for (int k = 0; k < w.header().keyCount(); k++) {
            p = countKey(all, p, end, counted);
        }
        if (p != end) {
            throw new IOException("its keys do not add up to its key count " + w.header().keyCount());
        }
        return new Totals(counted[0], counted[1]);
    }

    /**
     * Adds the entries of the key record at {@code p} to {@code counted} (values, bytes) and returns where the next
     * starts. A method of its own, like {@link #readKey}: the JIT compiles it after a few hundred keys.
     */
    private static int countKey(byte[] all, int p, int end, long[] counted) throws IOException {
        int at = entriesAt(all, p, end);
        int kl = at - 1 - p - 2;
        int n = all[at - 1] & 0xff;
        for (int i = 0; i < n; i++) {
            counted[0]++;
            counted[1] += LogFormat.recordLength(kl, intAt(all, at + i * ENTRY_LENGTH + ENTRY_LENGTH - 4));
        }
        return at + n * ENTRY_LENGTH;
    }

    /**
     * Where the key records start, in a whole snapshot, of every key whose latest entry is a value (not a marker) and
     * that one of {@code filters} matches, sorted by key ({@link KeyBytesSort}: on the bytes in place, in
     * {@link String#compareTo}'s order); a key is made only for a filter other than {@link KeyFilter#ALL} to match it.
     * {@link #keyAt} makes each key.
     */
    static int[] sortedLiveKeys(Whole w, List<KeyFilter> filters) throws IOException {
        byte[] all = w.all();
        int end = all.length - TRAILER_LENGTH;
        int p = (int) w.header().keysStart();
        boolean everyKey = filters.contains(KeyFilter.ALL);
        int[] records = new int[w.header().keyCount()];
        int[] count = new int[1];
        for (int k = 0; k < records.length; k++) {
            p = liveRecord(w, p, end, everyKey ? null : filters, records, count);
        }
        if (p != end) {
            throw new IOException("its keys do not add up to its key count " + w.header().keyCount());
        }
        int n = count[0];
        KeyBytesSort.sort(all, records, n);
        return n == records.length ? records : Arrays.copyOf(records, n);
    }

    /**
     * {@link #sortedLiveKeys} for the key record at {@code p} ({@code filters} null: every key), added to
     * {@code records} at {@code count[0]}; returns where the next starts (see {@link #countKey}).
     */
    private static int liveRecord(Whole w, int p, int end, List<KeyFilter> filters, int[] records, int[] count)
            throws IOException {
        byte[] all = w.all();
        int at = entriesAt(all, p, end);
        int n = all[at - 1] & 0xff;
        if (n > 0 && LogFormat.operation(intAt(all, at + n * ENTRY_LENGTH - 8)) == Operation.PUT
                && (filters == null || KeyFilter.anyMatches(filters, keyAt(w, p)))) {
            records[count[0]++] = p;
        }
        return at + n * ENTRY_LENGTH;
    }

    /** The key of the key record at {@code record} of a whole snapshot (a place {@link #sortedLiveKeys} gave). */
    static String keyAt(Whole w, int record) {
        byte[] all = w.all();
        int length = ((all[record] & 0xff) << 8) | (all[record + 1] & 0xff);
        return new String(all, record + 2, length, StandardCharsets.US_ASCII);
    }

    /** Where the entries of the key record at {@code p} start (after its entry count), checked against {@code end}. */
    private static int entriesAt(byte[] all, int p, int end) throws IOException {
        if (end - p < 3) {
            throw new IOException("its keys are cut short");
        }
        int kl = ((all[p] & 0xff) << 8) | (all[p + 1] & 0xff);
        int at = p + 2 + kl + 1;
        if (at > end || at + (all[at - 1] & 0xff) * ENTRY_LENGTH > end) {
            throw new IOException("its keys are cut short");
        }
        return at;
    }

    /** The big-endian int at {@code at}. */
    private static int intAt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /** The entries of {@code key} in a whole snapshot (its slot, as {@link #lookup} finds it), or null. */
    static long[] find(Whole w, String key) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(w.all());
        int slot = slotOf(key, w.header().slotCount());
        int at = HEADER_LENGTH + slot * SLOT_LENGTH;
        long start = all.getLong(at);
        int length = all.getInt(at + 8);
        if (start < w.header().keysStart() || length < 0 || start + length > w.all().length - TRAILER_LENGTH) {
            throw new IOException("slot " + slot + " is damaged");
        }
        return find(ByteBuffer.wrap(Arrays.copyOfRange(w.all(), (int) start, (int) start + length)), key);
    }

    /**
     * Finds one key in the snapshot of {@code generation} without reading the rest: the header, the key's slot and
     * the slot's keys, each checked against its checksum, and the header against the log (whose committed length
     * is {@code logLength}). Returns null when there is no usable snapshot (missing, stale, damaged, another
     * format): the caller then does without, and whoever loads the whole index reports why.
     */
    static Lookup lookup(StorageIo io, Path dir, long generation, DataFile log, long recordsStart, long logLength,
                         String key) {
        try (DataFile f = io.open(path(dir, generation), false)) {
            long size = f.size();
            Header h = header(readAt(f, 0, HEADER_LENGTH), size, generation, log, recordsStart, logLength);
            int slot = slotOf(key, h.slotCount());
            ByteBuffer s = readAt(f, HEADER_LENGTH + (long) slot * SLOT_LENGTH, SLOT_LENGTH);
            long start = s.getLong(0);
            int length = s.getInt(8);
            if (start < h.keysStart() || length < 0 || start + length > size - TRAILER_LENGTH) {
                throw new IOException("slot " + slot + " is damaged");
            }
            ByteBuffer keys = readAt(f, start, length);
            if (slotChecksum(slot, start, length, keys.array(), 0) != s.getInt(12)) {
                throw new IOException("slot " + slot + " fails its checksum");
            }
            return new Lookup(find(keys, key), h.offset(), h.lastRevision(), h.lastCreated());
        } catch (IOException | RuntimeException e) {
            // NoSuchFileException included: no snapshot is as good as an unusable one here.
            return null;
        }
    }

    /**
     * The header of the snapshot of {@code generation} alone, checked (its checksum, against the log whose committed
     * length is {@code logLength}), for a count of the bucket's values without reading its keys; null when there is
     * no usable snapshot (missing, stale, damaged, another format).
     */
    static Header header(StorageIo io, Path dir, long generation, DataFile log, long recordsStart, long logLength) {
        try (DataFile f = io.open(path(dir, generation), false)) {
            return header(readAt(f, 0, HEADER_LENGTH), f.size(), generation, log, recordsStart, logLength);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The entries of {@code key} among one slot's keys, or null when it is not there. */
    private static long[] find(ByteBuffer keys, String key) throws IOException {
        byte[] all = keys.array();
        int p = 0;
        int end = keys.limit();
        while (p < end) {
            if (end - p < 3) {
                throw new IOException("a slot's keys are cut short");
            }
            int kl = Short.toUnsignedInt(keys.getShort(p));
            int n = end - p - 2 - kl >= 1 ? Byte.toUnsignedInt(keys.get(p + 2 + kl)) : -1;
            int next = p + 2 + kl + 1 + n * KeyIndex.SLOTS * Long.BYTES;
            if (n < 0 || next > end) {
                throw new IOException("a slot's keys are cut short");
            }
            if (kl == key.length() && sameAscii(all, p + 2, key)) {
                long[] e = new long[n * KeyIndex.SLOTS];
                for (int j = 0; j < e.length; j++) {
                    e[j] = keys.getLong(p + 2 + kl + 1 + j * Long.BYTES);
                }
                return e;
            }
            p = next;
        }
        return null;
    }

    private static boolean sameAscii(byte[] bytes, int at, String key) {
        for (int i = 0; i < key.length(); i++) {
            if (bytes[at + i] != (byte) key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static ByteBuffer readAt(DataFile f, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        f.readFully(b, position);
        return b.flip();
    }
}
