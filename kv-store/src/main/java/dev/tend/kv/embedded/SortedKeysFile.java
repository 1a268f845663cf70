package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The sorted keys file {@code index-<g>.keys}, written beside each index snapshot of a bucket without a TTL
 * ({@link HintFile.Encoded#write}; with a TTL, expiry needs each entry's time, so the index answers {@code keys}):
 * the keys whose latest entry was a value as of a log offset, in {@link String#compareTo}'s order, one a line, so that
 * {@code keys} of a big bucket is the file's lines merged with the few keys the log after it touches
 * ({@link KeyLines}), without sorting or making a string per key. A file of its own rather than a section of the
 * snapshot: versions that do not know it leave it alone and keep reading the snapshot as before. Like the snapshot it
 * is only a shortcut: a missing, damaged or stale one is ignored.
 *
 * <pre>
 * header, 56 bytes: long magic, int version (1), int header length, long generation, long log offset, long offset
 *     and long revision of the newest record applied (-1 and 0: none), int key count, int lines length
 * lines: each key followed by '\n' (ASCII), sorted
 * int CRC32C of everything before it
 * </pre>
 *
 * It proves it belongs to its log as the snapshot does ({@link HintFile#matchesLog}): it names its generation, and the
 * record it says it ends with must be in the log at the offset it gives, with the revision it gives. So it stands on
 * its own: it need not be the one written with the snapshot in place (two processes writing snapshots of one
 * generation at once may leave the snapshot of one and the keys of the other; both are right as of their offsets).
 */
final class SortedKeysFile {
    private static final long MAGIC = 0x54454e444b564b59L; // "TENDKVKY"
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 56;
    private static final int TRAILER_LENGTH = 4;
    static final String SUFFIX = ".keys";

    /**
     * A checked file's lines ({@code all[HEADER_LENGTH, HEADER_LENGTH + length)}), {@code keys} of them, as of log
     * offset {@code offset}.
     */
    record Lines(byte[] all, int length, int keys, long offset) {
        int start() {
            return HEADER_LENGTH;
        }

        int end() {
            return HEADER_LENGTH + length;
        }
    }

    private SortedKeysFile() {
    }

    static Path path(Path dir, long generation) {
        return dir.resolve("index-" + generation + SUFFIX);
    }

    /**
     * Writes the file (temporary file, rename) from a snapshot being written: {@code all} holds its
     * key records, {@code records[0..n)} where the records of the keys whose latest entry is a value start (sorted
     * here, in place, by {@link KeyBytesSort}). The file covers the log up to {@code offset}, whose newest record
     * applied is at {@code lastOffset} with revision {@code lastRevision}. Not forced (a force of a megabyte costs a
     * writer tens of milliseconds): after a power loss the file may be cut short or hold zeros, which its magic and
     * checksum tell, and a reader then does without it.
     */
    static void write(StorageIo io, Path dir, long generation, long offset, long lastOffset, long lastRevision,
                      byte[] all, int[] records, int n) throws IOException {
        KeyBytesSort.sort(all, records, n);
        long length = 0;
        for (int i = 0; i < n; i++) {
            length += keyLength(all, records[i]) + 1;
        }
        if (length > Integer.MAX_VALUE - HEADER_LENGTH - TRAILER_LENGTH - 16) {
            throw new IOException("the keys of " + n + " keys are too long for a sorted keys file");
        }
        byte[] out = new byte[HEADER_LENGTH + (int) length + TRAILER_LENGTH];
        ByteBuffer buf = ByteBuffer.wrap(out);
        buf.putLong(MAGIC).putInt(VERSION).putInt(HEADER_LENGTH).putLong(generation).putLong(offset)
                .putLong(lastOffset).putLong(lastRevision).putInt(n).putInt((int) length);
        int at = HEADER_LENGTH;
        for (int i = 0; i < n; i++) {
            at = putLine(all, records[i], out, at);
        }
        CRC32C crc = new CRC32C();
        crc.update(out, 0, at);
        buf.putInt(at, (int) crc.getValue());
        Path target = path(dir, generation);
        Path tmp = dir.resolve(target.getFileName() + "." + Long.toHexString(System.nanoTime()
                ^ ProcessHandle.current().pid()) + ".tmp");
        try {
            try (DataFile f = io.open(tmp, true)) {
                f.truncate(0);
                f.write(buf.clear(), 0);
            }
            io.move(tmp, target);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static int keyLength(byte[] all, int record) {
        return ((all[record] & 0xff) << 8) | (all[record + 1] & 0xff);
    }

    /** Copies the key of the record at {@code record} and a newline to {@code at}; returns where it ends. */
    private static int putLine(byte[] all, int record, byte[] out, int at) {
        int length = keyLength(all, record);
        System.arraycopy(all, record + 2, out, at, length);
        out[at + length] = '\n';
        return at + length + 1;
    }

    /**
     * The file of {@code generation} read whole and checked (its checksum, its header against the log, whose committed
     * length is {@code committed}); null when there is none, or it is of another version.
     *
     * @throws IOException when it is damaged or stale
     */
    static Lines read(StorageIo io, Path dir, Generation generation, long committed) throws IOException {
        Path p = path(dir, generation.number());
        if (!Files.exists(p)) {
            return null;
        }
        try (DataFile f = io.open(p, false)) {
            long size = f.size();
            if (size < HEADER_LENGTH + TRAILER_LENGTH || size > Integer.MAX_VALUE) {
                throw new IOException("bad size " + size);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            f.readFully(buf, 0);
            if (buf.getLong(0) != MAGIC) {
                throw new IOException("not a sorted keys file");
            }
            if (buf.getInt(8) != VERSION) {
                return null; // a later version's: of no use to this one, not damage
            }
            byte[] all = buf.array();
            CRC32C crc = new CRC32C();
            crc.update(all, 0, all.length - TRAILER_LENGTH);
            if ((int) crc.getValue() != buf.getInt(all.length - TRAILER_LENGTH)) {
                throw new IOException("checksum mismatch");
            }
            long offset = buf.getLong(24);
            long lastOffset = buf.getLong(32);
            long lastRevision = buf.getLong(40);
            int keys = buf.getInt(48);
            int length = buf.getInt(52);
            if (buf.getInt(12) != HEADER_LENGTH || buf.getLong(16) != generation.number() || keys < 0
                    || length != size - HEADER_LENGTH - TRAILER_LENGTH || keys > length / 2
                    || (length > 0 && all[HEADER_LENGTH + length - 1] != '\n')) {
                throw new IOException("its header is inconsistent");
            }
            if (offset < generation.recordsStart() || offset > committed) {
                throw new IOException("offset " + offset + " beyond the log's " + committed + " bytes");
            }
            if (!HintFile.matchesLog(generation.log(), generation.recordsStart(), offset, lastRevision, lastOffset)) {
                throw new IOException("it does not match the log (the log was cut and rewritten after it)");
            }
            return new Lines(all, length, keys, offset);
        }
    }
}
