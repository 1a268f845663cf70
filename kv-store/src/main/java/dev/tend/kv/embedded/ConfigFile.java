package dev.tend.kv.embedded;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.StorageType;
import dev.tend.kv.UnsupportedFormatException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A bucket's {@code config.json}, written atomically beside its log, and the same JSON (compact) in the log's header.
 *
 * <p>Read and written with jackson-core's streaming parser and generator rather than databind: every process that
 * opens a bucket parses this JSON, and a cold {@code ObjectMapper} costs a short-lived {@code tend} call more than
 * 100 ms. The bytes are those databind wrote (field order, compact header, default pretty printer for the file).
 */
final class ConfigFile {
    static final String NAME = "config.json";
    private static final int FORMAT = 1;

    /**
     * Jackson's factory, created on first use: reading a log's header, which every process that opens a bucket
     * does, rarely needs it ({@link CompactConfigJson}), and starting it costs a one-shot command milliseconds.
     */
    private static final class Jackson {
        static final JsonFactory JSON = new JsonFactory();

        private Jackson() {
        }
    }

    /** The JSON shape; field names are the on-disk contract. */
    record Json(int format, String name, String description, int history, long ttlNanos, long maxValueSize,
                long maxBucketSize, int replicas, String storage) {
    }

    private ConfigFile() {
    }

    static byte[] toJson(BucketConfig c) {
        try {
            return encode(c, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a bucket config", e);
        }
    }

    private static byte[] encode(BucketConfig c, boolean pretty) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Jackson.JSON.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("name", c.name());
            g.writeStringField("description", c.description());
            g.writeNumberField("history", c.history());
            g.writeNumberField("ttl_nanos", c.ttl().toNanos());
            g.writeNumberField("max_value_size", c.maxValueSize());
            g.writeNumberField("max_bucket_size", c.maxBucketSize());
            g.writeNumberField("replicas", c.replicas());
            g.writeStringField("storage", c.storage().name().toLowerCase(Locale.ROOT));
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Writes {@code config.json}, the readable copy of the config the newest log's header holds. */
    static void write(StorageIo io, Path dir, BucketConfig c) throws IOException {
        byte[] bytes = encode(c, true);
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
        Json j = CompactConfigJson.parse(bytes);
        try {
            if (j == null) {
                j = parseWithJackson(bytes);
            }
        } catch (IOException e) {
            String where = e instanceof JsonProcessingException jp && jp.getLocation() != null
                    ? " (line " + jp.getLocation().getLineNr() + ")" : "";
            throw new CorruptDataException(source + " is not a valid bucket config" + where);
        }
        if (j == null) {
            throw new CorruptDataException(source + " is empty");
        }
        if (j.format() > FORMAT) {
            throw new UnsupportedFormatException(source + " is in config format " + j.format()
                    + ", written by a newer Tend; this version reads format " + FORMAT);
        }
        try {
            return BucketConfig.builder(j.name()).description(j.description()).history(j.history())
                    .ttl(Duration.ofNanos(j.ttlNanos())).maxValueSize(j.maxValueSize())
                    .maxBucketSize(j.maxBucketSize()).replicas(j.replicas())
                    .storage(j.storage() == null ? StorageType.FILE
                            : StorageType.valueOf(j.storage().toUpperCase(Locale.ROOT)))
                    .build();
        } catch (InvalidInputException | IllegalArgumentException e) {
            throw new CorruptDataException(source + " holds an invalid configuration: " + e.getMessage());
        }
    }

    /**
     * Reads the JSON as databind did: a top-level object (null for a JSON {@code null}), unknown fields ignored,
     * missing ones zero or null, numbers given as strings accepted; one value only.
     */
    static Json parseWithJackson(byte[] bytes) throws IOException {
        try (JsonParser p = Jackson.JSON.createParser(bytes)) {
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
            int format = 0;
            int history = 0;
            int replicas = 0;
            long ttl = 0;
            long maxValue = 0;
            long maxBucket = 0;
            String name = null;
            String description = null;
            String storage = null;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "format" -> format = intValue(p, v);
                    case "name" -> name = text(p, v);
                    case "description" -> description = text(p, v);
                    case "history" -> history = intValue(p, v);
                    case "ttl_nanos" -> ttl = longValue(p, v);
                    case "max_value_size" -> maxValue = longValue(p, v);
                    case "max_bucket_size" -> maxBucket = longValue(p, v);
                    case "replicas" -> replicas = intValue(p, v);
                    case "storage" -> storage = text(p, v);
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IOException("unexpected " + t);
            }
            return new Json(format, name, description, history, ttl, maxValue, maxBucket, replicas, storage);
        }
    }

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v == JsonToken.VALUE_STRING || v.isScalarValue()) {
            return p.getText();
        }
        throw new com.fasterxml.jackson.core.JsonParseException(p, "expected a string, found " + v);
    }

    private static long longValue(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "not a number: " + p.getText());
            }
        }
        throw new com.fasterxml.jackson.core.JsonParseException(p, "expected a number, found " + v);
    }

    private static int intValue(JsonParser p, JsonToken v) throws IOException {
        long n = longValue(p, v);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "number out of range: " + n);
        }
        return (int) n;
    }
}
