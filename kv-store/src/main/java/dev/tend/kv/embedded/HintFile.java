package dev.tend.kv.embedded;


import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * An index snapshot (Bitcask's hint file): the index of one log generation as of a log offset, so a process can
 * open a big bucket without replaying its whole log. It is only a shortcut: a missing, stale or damaged snapshot is
 * ignored and the log replayed.
 *
 * <pre>
 * long magic, int version, long generation, long log offset, long last revision, long offset and long revision of
 * the newest record (-1 and 0: none), long last created, long max dropped, int key count, then per key: unsigned short key length, key, unsigned byte entry count,
 * entries (4 longs each); finally int CRC32C of everything before it.
 * </pre>
 */
final class HintFile {
    private static final LazyLogger LOG = new LazyLogger(HintFile.class);
    private static final long MAGIC = 0x54454e444b564958L; // "TENDKVIX"
    private static final int VERSION = 1;

    /** A loaded snapshot: the index as of {@code offset}. */
    record Snapshot(KeyIndex index, long offset) {
    }

    private HintFile() {
    }

    /** True when the record the snapshot ends with is in the log where it says, with its revision. */
    private static boolean matchesLog(DataFile log, long recordsStart, long offset, long lastRevision,
                                      long lastOffset) throws IOException {
        if (lastOffset < 0) {
            return offset == recordsStart;
        }
        if (lastOffset < recordsStart || lastOffset >= offset) {
            return false;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) Math.min(offset - lastOffset, 1 << 20));
        log.readFully(b, lastOffset);
        b.flip();
        LogRecord r = LogFormat.decode(b, lastOffset);
        return r != null && r.revision() == lastRevision && r.end() == offset;
    }

    static Path path(Path dir, long generation) {
        return dir.resolve("index-" + generation + ".hint");
    }

    /** Writes the snapshot atomically (temporary file, force, rename). */
    static void write(StorageIo io, Path dir, long generation, long offset, KeyIndex index) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, index.keyCount() * 64));
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(generation);
        out.writeLong(offset);
        out.writeLong(index.lastRevision());
        out.writeLong(index.lastOffset());
        out.writeLong(index.lastRecordRevision());
        out.writeLong(index.lastCreated());
        out.writeLong(index.maxDropped());
        out.writeInt(index.keyCount());
        IOException[] failure = new IOException[1];
        index.forEach((key, e) -> {
            try {
                byte[] k = key.getBytes(StandardCharsets.US_ASCII);
                out.writeShort(k.length);
                out.write(k);
                out.writeByte(KeyIndex.count(e));
                for (long v : e) {
                    out.writeLong(v);
                }
            } catch (IOException ex) {
                failure[0] = ex;
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        out.flush();
        CRC32C crc = new CRC32C();
        byte[] body = bytes.toByteArray();
        crc.update(body);
        ByteBuffer buf = ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).flip();
        Path target = path(dir, generation);
        // A unique temporary name: several processes may write a snapshot of the same generation at once.
        Path tmp = dir.resolve(target.getFileName() + "." + Long.toHexString(System.nanoTime() ^ ProcessHandle.current().pid()) + ".tmp");
        try (DataFile f = io.open(tmp, true)) {
            f.truncate(0);
            f.write(buf, 0);
            f.force();
        }
        io.move(tmp, target);
    }

    /**
     * Reads one key and its entries into the index. A method of its own rather than the loop's body, so the JIT
     * can compile it after a few hundred keys instead of waiting for the whole loop to be compiled (on-stack
     * replacement, after tens of thousands of iterations): a short-lived process loads a big snapshot mostly cold.
     */
    private static void readKey(ByteBuffer in, byte[] all, KeyIndex index) {
        int kl = Short.toUnsignedInt(in.getShort());
        int at = in.position();
        String key = new String(all, at, kl, StandardCharsets.US_ASCII);
        in.position(at + kl);
        int n = Byte.toUnsignedInt(in.get());
        long[] e = new long[n * KeyIndex.SLOTS];
        for (int j = 0; j < e.length; j++) {
            e[j] = in.getLong();
        }
        index.putSnapshotEntry(key, e);
    }

    /** Reads the snapshot of {@code generation} if it exists, is intact and lies within {@code logLength}. */
    static Snapshot read(StorageIo io, Path dir, long generation, DataFile log, long recordsStart) {
        Path p = path(dir, generation);
        if (!Files.exists(p)) {
            return null;
        }
        try (DataFile f = io.open(p, false)) {
            long size = f.size();
            if (size < 52 || size > Integer.MAX_VALUE) {
                throw new IOException("bad size " + size);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            f.readFully(buf, 0);
            byte[] all = buf.array();
            CRC32C crc = new CRC32C();
            crc.update(all, 0, all.length - 4);
            if ((int) crc.getValue() != buf.getInt(all.length - 4)) {
                throw new IOException("checksum mismatch");
            }
            // Decoded straight from the array (not through a DataInputStream): this runs in every short-lived
            // process that opens a big bucket, mostly before the JIT has compiled anything.
            ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 4);
            if (in.getLong() != MAGIC || in.getInt() != VERSION || in.getLong() != generation) {
                throw new IOException("not a snapshot of generation " + generation);
            }
            long offset = in.getLong();
            long logLength = log.size();
            if (offset < recordsStart || offset > logLength) {
                throw new IOException("offset " + offset + " beyond the log's " + logLength + " bytes");
            }
            long lastRevision = in.getLong();
            long lastOffset = in.getLong();
            long lastRecordRevision = in.getLong();
            if (!matchesLog(log, recordsStart, offset, lastRecordRevision, lastOffset)) {
                throw new IOException("it does not match the log (the log was cut and rewritten after it)");
            }
            long lastCreated = in.getLong();
            long maxDropped = in.getLong();
            int keys = in.getInt();
            if (keys < 0 || keys > in.remaining() / 3) {
                throw new IOException("bad key count " + keys);
            }
            KeyIndex index = new KeyIndex(0, 0, keys);
            for (int i = 0; i < keys; i++) {
                readKey(in, all, index);
            }
            index.restoreCounters(lastRevision, lastCreated, maxDropped);
            index.restoreLastRecord(lastOffset, lastRecordRevision);
            return new Snapshot(index, offset);
        } catch (IOException | RuntimeException e) {
            LOG.get().warn("ignoring index snapshot {}: {}; replaying the log instead", p, e.getMessage());
            return null;
        }
    }
}
