package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Operation;
import dev.tend.kv.UnsupportedFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The log file format. A log starts with a {@link #HEADER_LENGTH}-byte header, then records:
 *
 * <pre>
 * int   body length
 * int   CRC32C of the body
 * body: byte operation (1 PUT, 2 DEL, 3 PURGE), long revision, long created (epoch nanos),
 *       unsigned short key length, key (ASCII), value (the rest)
 * </pre>
 *
 * The header holds a magic number, the format version, its own length, the log's generation, the bucket's last
 * revision when the log was written, the highest revision any compaction dropped (watches behind it fell behind)
 * and the bucket's config as JSON; a CRC32C covers it all.
 */
final class LogFormat {
    static final long MAGIC = 0x54454e444b564c47L; // "TENDKVLG"
    static final int VERSION = 1;
    /** The fixed part of the header; the config JSON follows it. */
    static final int HEADER_LENGTH = 48;
    static final int FRAME_LENGTH = 8;
    static final int BODY_FIXED_LENGTH = 1 + 8 + 8 + 2;
    static final int RECORD_OVERHEAD = FRAME_LENGTH + BODY_FIXED_LENGTH;
    /** The largest value the embedded engine stores, whatever the bucket's limit. */
    static final int MAX_VALUE_LENGTH = 64 * 1024 * 1024;
    static final int MAX_BODY_LENGTH = BODY_FIXED_LENGTH + 65535 + MAX_VALUE_LENGTH;

    private LogFormat() {
    }

    /**
     * The header at the start of a log file. It carries the bucket's config, so a config change commits
     * atomically with the new generation that applies it.
     */
    record Header(long generation, long startRevision, long droppedThrough, BucketConfig config, int length) {

        /** A header for {@code config}; {@code length} is where the first record starts. */
        Header(long generation, long startRevision, long droppedThrough, BucketConfig config) {
            this(generation, startRevision, droppedThrough, config, HEADER_LENGTH + ConfigFile.toJson(config).length);
        }

        ByteBuffer encode() {
            byte[] json = ConfigFile.toJson(config);
            ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + json.length);
            b.putLong(MAGIC).putInt(VERSION).putInt(HEADER_LENGTH + json.length).putLong(generation)
                    .putLong(startRevision).putLong(droppedThrough).putInt(json.length);
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, 44);
            crc.update(json);
            b.putInt((int) crc.getValue()).put(json);
            return b.flip();
        }

        /** Reads and checks the header of a log file. */
        static Header read(DataFile f, Path file) throws IOException {
            long size = f.size();
            if (size < HEADER_LENGTH) {
                throw new CorruptDataException(file + ": too short to be a Tend log (" + size + " bytes)");
            }
            ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH);
            f.readFully(b, 0);
            b.flip();
            if (b.getLong(0) != MAGIC) {
                throw new CorruptDataException(file + ": not a Tend log (bad magic number)");
            }
            int version = b.getInt(8);
            if (version > VERSION) {
                throw new UnsupportedFormatException(file + " is in log format " + version
                        + ", written by a newer Tend; this version reads format " + VERSION + " — upgrade Tend");
            }
            if (version < 1) {
                throw new CorruptDataException(file + ": invalid log format version " + version);
            }
            int length = b.getInt(12);
            int configLength = b.getInt(40);
            if (configLength < 0 || length != HEADER_LENGTH + configLength || length > size) {
                throw new CorruptDataException(file + ": log header has an invalid length");
            }
            byte[] json = new byte[configLength];
            f.readFully(ByteBuffer.wrap(json), HEADER_LENGTH);
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, 44);
            crc.update(json);
            if ((int) crc.getValue() != b.getInt(44)) {
                throw new CorruptDataException(file + ": log header fails its checksum");
            }
            BucketConfig config = ConfigFile.fromJson(json, file + " (header)");
            // The length as read, so reading a header never encodes its config again.
            return new Header(b.getLong(16), b.getLong(24), b.getLong(32), config, length);
        }
    }

    static int recordLength(int keyLength, int valueLength) {
        return RECORD_OVERHEAD + keyLength + valueLength;
    }

    /** Appends one framed record to {@code out}, which must have room for {@link #recordLength}. */
    static void encode(ByteBuffer out, Operation op, long revision, long createdNanos, String key, byte[] value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.US_ASCII);
        int bodyLength = BODY_FIXED_LENGTH + keyBytes.length + value.length;
        int start = out.position();
        out.putInt(bodyLength).putInt(0);
        int bodyStart = out.position();
        out.put(opCode(op)).putLong(revision).putLong(createdNanos).putShort((short) keyBytes.length)
                .put(keyBytes).put(value);
        CRC32C crc = new CRC32C();
        ByteBuffer body = out.duplicate();
        body.position(bodyStart).limit(bodyStart + bodyLength);
        crc.update(body);
        out.putInt(start + 4, (int) crc.getValue());
    }

    static byte opCode(Operation op) {
        return switch (op) {
            case PUT -> 1;
            case DEL -> 2;
            case PURGE -> 3;
        };
    }

    static Operation operation(int code) {
        return switch (code) {
            case 1 -> Operation.PUT;
            case 2 -> Operation.DEL;
            case 3 -> Operation.PURGE;
            default -> null;
        };
    }

    /**
     * Decodes the record starting at {@code b}'s position if it is complete and intact; returns null (and leaves
     * the position) when it is torn, short or fails its checksum.
     */
    static LogRecord decode(ByteBuffer b, long fileOffset) {
        int start = b.position();
        if (b.remaining() < FRAME_LENGTH) {
            return null;
        }
        int bodyLength = b.getInt(start);
        if (bodyLength < BODY_FIXED_LENGTH || bodyLength > MAX_BODY_LENGTH) {
            return null;
        }
        if (b.remaining() < FRAME_LENGTH + bodyLength) {
            return null;
        }
        int storedCrc = b.getInt(start + 4);
        CRC32C crc = new CRC32C();
        ByteBuffer body = b.duplicate();
        body.position(start + FRAME_LENGTH).limit(start + FRAME_LENGTH + bodyLength);
        crc.update(body);
        if ((int) crc.getValue() != storedCrc) {
            return null;
        }
        int p = start + FRAME_LENGTH;
        Operation op = operation(b.get(p));
        if (op == null) {
            return null;
        }
        long revision = b.getLong(p + 1);
        long created = b.getLong(p + 9);
        int keyLength = Short.toUnsignedInt(b.getShort(p + 17));
        int valueLength = bodyLength - BODY_FIXED_LENGTH - keyLength;
        if (keyLength == 0 || valueLength < 0 || revision <= 0) {
            return null;
        }
        byte[] keyBytes = new byte[keyLength];
        b.get(p + 19, keyBytes);
        byte[] value = new byte[valueLength];
        b.get(p + 19 + keyLength, value);
        b.position(start + FRAME_LENGTH + bodyLength);
        return new LogRecord(op, revision, created, new String(keyBytes, StandardCharsets.US_ASCII), value,
                fileOffset, FRAME_LENGTH + bodyLength);
    }
}
