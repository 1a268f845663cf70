package dev.tend.kv.embedded;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.UnsupportedFormatException;
import dev.tend.kv.support.BucketConfigJson;
import dev.tend.kv.support.ConfigShape;
import dev.tend.kv.support.ConfigValues;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A bucket's {@code config.json}, written atomically beside its log, and the same JSON (compact) in the log's header:
 * the bucket config in its {@link ConfigShape#LOG} shape ({@link BucketConfigJson}).
 *
 * <p>Every process that opens a bucket reads the header's JSON: {@link CompactConfigJson} reads the compact form this
 * code writes without starting Jackson, and anything else goes to jackson-core's streaming parser. The bytes are
 * those databind once wrote (field order, compact header, default pretty printer for the file).
 */
final class ConfigFile {
    static final String NAME = "config.json";

    private ConfigFile() {
    }

    static byte[] toJson(BucketConfig c) {
        return BucketConfigJson.toJson(c, ConfigShape.LOG, false);
    }

    /** Writes {@code config.json}, the readable copy of the config the newest log's header holds. */
    static void write(StorageIo io, Path dir, BucketConfig c) throws IOException {
        byte[] bytes = BucketConfigJson.toJson(c, ConfigShape.LOG, true);
        Path tmp = dir.resolve(NAME + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try (DataFile f = io.open(tmp, true)) {
            f.truncate(0);
            f.write(ByteBuffer.wrap(bytes), 0);
            f.force();
        }
        io.move(tmp, dir.resolve(NAME));
    }

    static BucketConfig read(StorageIo io, Path dir) throws IOException {
        Path p = dir.resolve(NAME);
        byte[] bytes;
        try (DataFile f = io.open(p, false)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(f.size(), 1 << 20));
            f.readFully(buf, 0);
            bytes = buf.array();
        } catch (NoSuchFileException e) {
            throw new CorruptDataException(p + " is missing");
        }
        return fromJson(bytes, p.toString());
    }

    static BucketConfig fromJson(byte[] bytes, String source) {
        ConfigValues v = CompactConfigJson.parse(bytes);
        try {
            if (v == null) {
                v = parseWithJackson(bytes);
            }
        } catch (IOException e) {
            String where = e instanceof JsonProcessingException jp && jp.getLocation() != null
                    ? " (line " + jp.getLocation().getLineNr() + ")" : "";
            throw new CorruptDataException(source + " is not a valid bucket config" + where);
        }
        if (v == null) {
            throw new CorruptDataException(source + " is empty");
        }
        if (v.version() > ConfigShape.LOG.version()) {
            throw new UnsupportedFormatException(source + " is in config format " + v.version()
                    + ", written by a newer Tend; this version reads format " + ConfigShape.LOG.version());
        }
        try {
            return v.toConfig(ConfigShape.LOG);
        } catch (InvalidInputException e) {
            throw new CorruptDataException(source + " holds an invalid configuration: " + e.getMessage());
        }
    }

    /** Reads the first JSON value with Jackson: an object, or null for a JSON {@code null}. */
    static ConfigValues parseWithJackson(byte[] bytes) throws IOException {
        try (JsonParser p = BucketConfigJson.parser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("no content");
            }
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            return BucketConfigJson.read(p, ConfigShape.LOG);
        }
    }
}
