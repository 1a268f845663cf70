package dev.tend.kv.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvException;
import dev.tend.kv.UnsupportedFormatException;
import dev.tend.kv.support.BucketConfigJson;
import dev.tend.kv.support.ConfigShape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import static dev.tend.kv.backup.BackupFiles.corrupt;

/**
 * A backup's {@code bucket.json}: what the backup holds and how to check {@code entries.jsonl}.
 *
 * @param formatVersion  the format version of the backup's files
 * @param created        when the backup was taken
 * @param config         the bucket's configuration ({@link ConfigShape#BACKUP})
 * @param lastRevision   the bucket's last revision at the backup's caught-up point (0 when never written)
 * @param entries        how many lines {@code entries.jsonl} holds
 * @param entriesBytes   its size
 * @param entriesSha256  its SHA-256 in hex, or null when not recorded (then not checked)
 * @param sourceBackend  the backend the bucket was backed up from
 */
record BucketFile(int formatVersion, Instant created, BucketConfig config, long lastRevision, long entries,
                  long entriesBytes, String entriesSha256, String sourceBackend) {

    /** A small file read once per restore: databind's tree is simplest, and strict about its JSON. */
    private static final ObjectMapper TREE = new ObjectMapper(BackupFiles.JSON)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The file's bytes: Jackson's default pretty printer, without the final newline. */
    byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = BackupFiles.JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("format", BucketBackup.FORMAT_NAME);
            g.writeNumberField("format_version", formatVersion);
            g.writeStringField("created", BackupFiles.format(created));
            g.writeFieldName("config");
            g.writeStartObject();
            BucketConfigJson.writeFields(g, config, ConfigShape.BACKUP);
            g.writeEndObject();
            g.writeNumberField("last_revision", lastRevision);
            g.writeNumberField("entries", entries);
            g.writeNumberField("entries_bytes", entriesBytes);
            g.writeStringField("entries_sha256", entriesSha256);
            g.writeStringField("source_backend", sourceBackend);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + BucketBackup.BUCKET_FILE, e);
        }
        return out.toByteArray();
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws IOException when it cannot be read
     * @throws dev.tend.kv.CorruptDataException when it is damaged; the message names the file
     * @throws UnsupportedFormatException when it was written in a newer format
     */
    static BucketFile read(Path file) throws IOException {
        JsonNode root;
        try {
            root = TREE.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw corrupt(file, "not valid JSON (" + BackupFiles.brief(e) + ")");
        }
        if (root == null || !root.isObject()) {
            throw corrupt(file, "not a JSON object");
        }
        String format = root.path("format").asText("");
        if (!BucketBackup.FORMAT_NAME.equals(format)) {
            throw corrupt(file, "not a tend kv backup (format is \"" + format + "\", expected \""
                    + BucketBackup.FORMAT_NAME + "\")");
        }
        long version = requireLong(file, root, "format_version");
        if (version > BucketBackup.FORMAT_VERSION) {
            throw new UnsupportedFormatException(file + ": backup format version " + version
                    + " is newer than this tend reads (" + BucketBackup.FORMAT_VERSION
                    + "); restore it with a newer tend");
        }
        if (version < 1) {
            throw corrupt(file, "invalid format_version " + version);
        }
        BucketConfig config = config(file, root.get("config"));
        long lastRevision = requireLong(file, root, "last_revision");
        long entries = requireLong(file, root, "entries");
        if (lastRevision < 0 || entries < 0) {
            throw corrupt(file, "last_revision and entries must not be negative");
        }
        JsonNode createdNode = root.get("created");
        if (createdNode == null || !createdNode.isTextual()) {
            throw corrupt(file, "created is missing or not a string");
        }
        Instant created = BackupFiles.parseTime(createdNode.asText());
        if (created == null) {
            throw corrupt(file, "created is not an RFC 3339 time");
        }
        String sha = root.hasNonNull("entries_sha256") ? root.get("entries_sha256").asText() : null;
        return new BucketFile((int) version, created, config, lastRevision, entries,
                root.path("entries_bytes").asLong(-1), sha, root.path("source_backend").asText(null));
    }

    private static BucketConfig config(Path file, JsonNode c) throws IOException {
        if (c == null || !c.isObject()) {
            throw corrupt(file, "config is missing or not an object");
        }
        try (JsonParser p = c.traverse(TREE)) {
            p.nextToken();
            return BucketConfigJson.read(p, ConfigShape.BACKUP).toConfig(ConfigShape.BACKUP);
        } catch (JsonProcessingException e) {
            throw corrupt(file, e.getOriginalMessage());
        } catch (KvException e) {
            throw corrupt(file, "invalid config: " + e.getMessage());
        }
    }

    private static long requireLong(Path file, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw corrupt(file, field + " is missing or not a whole number");
        }
        return v.asLong();
    }
}
