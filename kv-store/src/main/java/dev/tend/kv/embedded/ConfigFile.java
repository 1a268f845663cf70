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

    static void write(StorageIo io, Path dir, BucketConfig c) throws IOException {
        Json j = new Json(FORMAT, c.name(), c.description(), c.history(), c.ttl().toNanos(), c.maxValueSize(),
                c.maxBucketSize(), c.replicas(), c.storage().name().toLowerCase(java.util.Locale.ROOT));
        byte[] bytes = JSON.writeValueAsBytes(j);
        Path tmp = dir.resolve(NAME + ".tmp");
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
        Json j;
        try {
            j = JSON.readValue(bytes, Json.class);
        } catch (JsonProcessingException e) {
            throw new CorruptDataException(p + " is not valid JSON (line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage() + ")");
        }
        if (j.format() > FORMAT) {
            throw new UnsupportedFormatException(p + " is in config format " + j.format()
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
            throw new CorruptDataException(p + " holds an invalid configuration: " + e.getMessage());
        }
    }
}
