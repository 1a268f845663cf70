package dev.tend.kv.embedded;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.StorageType;
import dev.tend.kv.UnsupportedFormatException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/** A bucket's {@code config.json}, written atomically beside its log. */
final class ConfigFile {
    static final String NAME = "config.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    /** The JSON shape; field names are the on-disk contract. */
    record Json(@JsonProperty("format") int format,
                @JsonProperty("name") String name,
                @JsonProperty("description") String description,
                @JsonProperty("history") int history,
                @JsonProperty("ttl_nanos") long ttlNanos,
                @JsonProperty("max_value_size") long maxValueSize,
                @JsonProperty("max_bucket_size") long maxBucketSize,
                @JsonProperty("replicas") int replicas,
                @JsonProperty("storage") String storage) {
    }

    private ConfigFile() {
    }

    static byte[] toJson(BucketConfig c) {
        Json j = new Json(FORMAT, c.name(), c.description(), c.history(), c.ttl().toNanos(), c.maxValueSize(),
                c.maxBucketSize(), c.replicas(), c.storage().name().toLowerCase(java.util.Locale.ROOT));
        try {
            return COMPACT.writeValueAsBytes(j);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a bucket config", e);
        }
    }

    /** Writes {@code config.json}, the readable copy of the config the newest log's header holds. */
    static void write(StorageIo io, Path dir, BucketConfig c) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(JSON.readTree(toJson(c)));
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
        Json j;
        try {
            j = JSON.readValue(bytes, Json.class);
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
                            : StorageType.valueOf(j.storage().toUpperCase(java.util.Locale.ROOT)))
                    .build();
        } catch (InvalidInputException | IllegalArgumentException e) {
            throw new CorruptDataException(source + " holds an invalid configuration: " + e.getMessage());
        }
    }
}
