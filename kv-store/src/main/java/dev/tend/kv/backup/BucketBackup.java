package dev.tend.kv.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.ConflictException;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;
import dev.tend.kv.FellBehindException;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.KvException;
import dev.tend.kv.Names;
import dev.tend.kv.NotFoundException;
import dev.tend.kv.Operation;
import dev.tend.kv.StorageType;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnsupportedFormatException;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;
import dev.tend.units.Durations;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The portable backup of a bucket: its config and every retained entry (values and markers) with revision, time
 * and operation, in a directory that any backend can restore from. It is also how a bucket moves from the
 * embedded store to NATS.
 *
 * <p>A backup is a directory with two files:
 * <ul>
 *   <li>{@code bucket.json}: {@code format} ({@value #FORMAT_NAME}), {@code format_version}, {@code created}
 *       (RFC 3339, UTC), {@code config} ({@code name}, {@code description}, {@code history}, {@code ttl} as a
 *       duration such as {@code 1h0m0s}, {@code max_value_size} and {@code max_bucket_size} in bytes or -1 for
 *       unlimited, {@code replicas}, {@code storage} {@code file|memory}, {@code mirror} or null),
 *       {@code last_revision}, {@code entries} (the count), {@code entries_bytes} and {@code entries_sha256}
 *       (of {@code entries.jsonl}), {@code source_backend};</li>
 *   <li>{@code entries.jsonl}: one JSON object per line, in revision order: {@code key}, {@code revision},
 *       {@code created} (RFC 3339, UTC, nanoseconds), {@code operation} ({@code PUT|DEL|PURGE}),
 *       {@code value_base64}.</li>
 * </ul>
 *
 * <p>Both files are written under temporary names, forced, and renamed into place, {@code bucket.json} last: a
 * directory holds a complete backup exactly when it holds {@code bucket.json}. Reading verifies the whole backup
 * (format version, every line, the count and the checksum) before it returns, so a restore does not start from a
 * damaged backup.
 */
public final class BucketBackup {

    /** The format version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    public static final String FORMAT_NAME = "tend-kv-backup";
    public static final String BUCKET_FILE = "bucket.json";
    public static final String ENTRIES_FILE = "entries.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final DateTimeFormatter RFC3339_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Entries in flight between the watch and the writer; bounded so a large bucket never fills the heap. */
    private static final int QUEUE_CAPACITY = 64;
    /** How often a backup starts again when its watch falls behind compaction. */
    private static final int MAX_ATTEMPTS = 5;

    private BucketBackup() {
    }

    /** True when {@code dir} holds a (complete) backup. */
    public static boolean isBackup(Path dir) {
        return Files.isRegularFile(dir.resolve(BUCKET_FILE));
    }

    /**
     * Writes a backup of the bucket into {@code dir} (created if needed); refuses a directory that already holds a
     * backup.
     *
     * @throws ConflictException when {@code dir} already holds a backup
     */
    public static BackupSummary write(Bucket bucket, Path dir) {
        return write(bucket, dir, false);
    }

    /**
     * Writes a backup of the bucket into {@code dir}: every entry retained when the backup's watch caught up.
     * Entries written later are not part of it.
     *
     * @param overwrite replace a backup that {@code dir} already holds
     * @throws ConflictException   when {@code dir} already holds a backup and {@code overwrite} is false
     * @throws InvalidInputException when {@code dir} is not a directory
     * @throws StoreException      on I/O errors; nothing that looks like a backup is left behind
     */
    public static BackupSummary write(Bucket bucket, Path dir, boolean overwrite) {
        Path d = dir.toAbsolutePath().normalize();
        if (Files.exists(d) && !Files.isDirectory(d)) {
            throw new InvalidInputException(d + " exists and is not a directory");
        }
        if (isBackup(d) && !overwrite) {
            throw new ConflictException(d + " already holds a backup; choose another directory or overwrite it");
        }
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw ioError("cannot create " + d, e);
        }
        String token = Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        Path entriesTmp = d.resolve("." + ENTRIES_FILE + "." + token + ".tmp");
        Path bucketTmp = d.resolve("." + BUCKET_FILE + "." + token + ".tmp");
        try {
            BucketStatus before = bucket.status();
            Instant created = Instant.now();
            MessageDigest sha = sha256();
            long[] written;
            for (int attempt = 1; ; attempt++) {
                sha.reset();
                try {
                    written = writeEntries(bucket, entriesTmp, sha);
                    break;
                } catch (StoreException e) {
                    // Compaction dropped entries the watch had not read yet (a busy bucket): start again.
                    if (!(e.getCause() instanceof FellBehindException) || attempt >= MAX_ATTEMPTS) {
                        throw e;
                    }
                }
            }
            long count = written[0];
            long last = written[1];
            long entriesBytes = Files.size(entriesTmp);
            ObjectNode head = JSON.createObjectNode();
            head.put("format", FORMAT_NAME);
            head.put("format_version", FORMAT_VERSION);
            head.put("created", RFC3339_NANOS.format(created));
            head.set("config", configJson(before.config()));
            head.put("last_revision", Math.max(before.lastRevision(), last));
            head.put("entries", count);
            head.put("entries_bytes", entriesBytes);
            head.put("entries_sha256", HexFormat.of().formatHex(sha.digest()));
            head.put("source_backend", before.backend());
            byte[] headBytes = JSON.writeValueAsBytes(head);
            try (FileChannel ch = FileChannel.open(bucketTmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(headBytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                ch.force(true);
            }
            // bucket.json goes last: the directory holds a complete backup exactly when it is there.
            Files.deleteIfExists(d.resolve(BUCKET_FILE));
            move(entriesTmp, d.resolve(ENTRIES_FILE));
            move(bucketTmp, d.resolve(BUCKET_FILE));
            forceDirectory(d);
            return new BackupSummary(bucket.name(), count, entriesBytes + headBytes.length + 1,
                    Math.max(before.lastRevision(), last), d);
        } catch (IOException e) {
            throw ioError("backup of bucket " + bucket.name() + " to " + d + " failed", e);
        } finally {
            deleteQuietly(entriesTmp);
            deleteQuietly(bucketTmp);
        }
    }

    /**
     * Reads and verifies the backup in {@code dir}. The whole of {@code entries.jsonl} is checked once here
     * (each line, the count, the checksum); {@link Backup#entries()} then streams it again.
     *
     * @throws NotFoundException          when {@code dir} holds no backup
     * @throws UnsupportedFormatException when the backup was written in a newer format
     * @throws CorruptDataException       when a file is damaged; the message names the file (and line)
     */
    public static Backup read(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) {
            throw new NotFoundException("no backup at " + d + ": not a directory");
        }
        Path bucketFile = d.resolve(BUCKET_FILE);
        if (!Files.isRegularFile(bucketFile)) {
            throw new NotFoundException("no backup in " + d + ": " + BUCKET_FILE + " not found");
        }
        JsonNode root;
        try {
            root = JSON.readTree(bucketFile.toFile());
        } catch (JsonProcessingException e) {
            throw corrupt(bucketFile, "not valid JSON (" + brief(e) + ")");
        } catch (IOException e) {
            throw ioError("cannot read " + bucketFile, e);
        }
        if (root == null || !root.isObject()) {
            throw corrupt(bucketFile, "not a JSON object");
        }
        String format = root.path("format").asText("");
        if (!FORMAT_NAME.equals(format)) {
            throw corrupt(bucketFile, "not a tend kv backup (format is \"" + format + "\", expected \""
                    + FORMAT_NAME + "\")");
        }
        long version = requireLong(bucketFile, root, "format_version");
        if (version > FORMAT_VERSION) {
            throw new UnsupportedFormatException(bucketFile + ": backup format version " + version
                    + " is newer than this tend reads (" + FORMAT_VERSION + "); restore it with a newer tend");
        }
        if (version < 1) {
            throw corrupt(bucketFile, "invalid format_version " + version);
        }
        BucketConfig config = parseConfig(bucketFile, root.get("config"));
        long lastRevision = requireLong(bucketFile, root, "last_revision");
        long expectedCount = requireLong(bucketFile, root, "entries");
        if (lastRevision < 0 || expectedCount < 0) {
            throw corrupt(bucketFile, "last_revision and entries must not be negative");
        }
        Instant created = parseTime(requireText(bucketFile, root, "created"));
        if (created == null) {
            throw corrupt(bucketFile, "created is not an RFC 3339 time");
        }
        String expectedSha = root.hasNonNull("entries_sha256") ? root.get("entries_sha256").asText() : null;
        Path entriesFile = d.resolve(ENTRIES_FILE);
        if (!Files.isRegularFile(entriesFile)) {
            throw corrupt(entriesFile, "missing (the backup is incomplete)");
        }

        MessageDigest sha = sha256();
        long count = 0;
        long lastSeen = 0;
        try (EntryReader reader = new EntryReader(entriesFile, config.name(), sha)) {
            Entry e;
            while ((e = reader.next()) != null) {
                count++;
                lastSeen = e.revision();
            }
        }
        if (count != expectedCount) {
            throw corrupt(entriesFile, "holds " + count + " entries but " + BUCKET_FILE + " says " + expectedCount);
        }
        if (expectedSha != null && !expectedSha.equalsIgnoreCase(HexFormat.of().formatHex(sha.digest()))) {
            throw corrupt(entriesFile, "checksum does not match " + BUCKET_FILE + " (the file was changed or damaged)");
        }
        if (lastSeen > lastRevision) {
            throw corrupt(entriesFile, "holds revision " + lastSeen + " but " + BUCKET_FILE
                    + " says the last revision is " + lastRevision);
        }
        String bucketName = config.name();
        Iterable<Entry> entries = () -> new StreamingIterator(entriesFile, bucketName);
        return new Backup(config, entries, count, lastRevision, created, (int) version, d);
    }

    // ---- writing

    /** Writes every entry the watch delivers up to its caught-up point; returns the count and last revision. */
    private static long[] writeEntries(Bucket bucket, Path entriesTmp, MessageDigest sha) throws IOException {
        long count = 0;
        long last = 0;
        try (FileChannel ch = FileChannel.open(entriesTmp, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16), sha);
            try (Collector collector = new Collector(bucket);
                 JsonGenerator gen = JSON.getFactory().createGenerator(out)) {
                gen.setRootValueSeparator(null);
                Entry e;
                while ((e = collector.next()) != null) {
                    if (e.revision() <= last) {
                        throw new StoreException("backup of bucket " + bucket.name() + ": the watch delivered "
                                + "revision " + e.revision() + " after " + last);
                    }
                    writeEntry(gen, e);
                    count++;
                    last = e.revision();
                }
                gen.flush();
            }
            out.flush();
            ch.force(true);
        }
        return new long[] {count, last};
    }

    private static void writeEntry(JsonGenerator gen, Entry e) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("key", e.key());
        gen.writeNumberField("revision", e.revision());
        gen.writeStringField("created", RFC3339_NANOS.format(e.created()));
        gen.writeStringField("operation", e.operation().name());
        gen.writeStringField("value_base64", Base64.getEncoder().encodeToString(e.value()));
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    private static ObjectNode configJson(BucketConfig c) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", c.name());
        return ConfigJson.putFields(n, c);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void forceDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every platform can force a directory; the files themselves are forced.
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is never mistaken for a backup
        }
    }

    /** Collects a bucket's retained entries through a watch with history, up to its caught-up point. */
    private static final class Collector implements WatchListener, AutoCloseable {
        private static final Object CAUGHT_UP = new Object();
        private static final Object ENDED = new Object();
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
        private final String bucket;
        private final Watch watch;
        private volatile boolean caughtUp;
        private volatile boolean closed;
        private boolean done;

        Collector(Bucket bucket) {
            this.bucket = bucket.name();
            this.watch = bucket.watch(List.of(), WatchOptions.defaults().withIncludeHistory(), this);
        }

        /** The next entry, or null once the watch has caught up. */
        Entry next() {
            if (done) {
                return null;
            }
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("backup of bucket " + bucket + " interrupted");
            }
            if (o instanceof Entry e) {
                return e;
            }
            done = true;
            if (o == CAUGHT_UP) {
                return null;
            }
            if (o instanceof KvException error) {
                throw new StoreException("backup of bucket " + bucket + " failed: " + error.getMessage(), error);
            }
            throw new StoreException("backup of bucket " + bucket + " failed: the bucket was removed or the store "
                    + "closed during the backup");
        }

        private void hand(Object o) {
            try {
                while (!closed) {
                    if (queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onEntry(Entry entry) {
            if (!caughtUp) {
                hand(entry);
            }
        }

        @Override
        public void onCaughtUp() {
            if (!caughtUp) {
                caughtUp = true;
                hand(CAUGHT_UP);
            }
        }

        @Override
        public void onError(KvException error) {
            if (!caughtUp) {
                caughtUp = true;
                hand(error);
            }
        }

        @Override
        public void onEnd() {
            if (!caughtUp) {
                caughtUp = true;
                hand(ENDED);
            }
        }

        @Override
        public void close() {
            closed = true;
            caughtUp = true;
            watch.close();
            queue.clear();
        }
    }

    // ---- reading

    /** Reads and checks entries.jsonl line by line. */
    private static final class EntryReader implements AutoCloseable {
        private final Path file;
        private final String bucket;
        private final InputStream in;
        private final BufferedReader reader;
        private long line;
        private long lastRevision;
        private boolean endsWithNewline;

        EntryReader(Path file, String bucket, MessageDigest digest) {
            this.file = file;
            this.bucket = bucket;
            try {
                long size = Files.size(file);
                if (size > 0) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                        ByteBuffer b = ByteBuffer.allocate(1);
                        ch.read(b, size - 1);
                        endsWithNewline = b.get(0) == '\n';
                    }
                } else {
                    endsWithNewline = true;
                }
                InputStream raw = Files.newInputStream(file);
                this.in = digest == null ? raw : new DigestInputStream(raw, digest);
            } catch (NoSuchFileException e) {
                throw corrupt(file, "missing (the backup is incomplete)");
            } catch (IOException e) {
                throw ioError("cannot read " + file, e);
            }
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        }

        /** The next entry, or null at the end of the file. */
        Entry next() {
            String text;
            try {
                text = reader.readLine();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw corrupt(file, line + 1, "not valid UTF-8");
            } catch (IOException e) {
                throw ioError("cannot read " + file, e);
            }
            if (text == null) {
                return null;
            }
            line++;
            if (!endsWithNewline) {
                try {
                    reader.mark(1);
                    if (reader.read() == -1) {
                        throw corrupt(file, line, "incomplete: the file does not end with a newline (a torn write?)");
                    }
                    reader.reset();
                } catch (IOException ex) {
                    throw ioError("cannot read " + file, ex);
                }
            }
            Entry e = parseLine(text);
            lastRevision = e.revision();
            return e;
        }

        private Entry parseLine(String text) {
            if (text.isBlank()) {
                throw corrupt(file, line, "empty line");
            }
            JsonNode n;
            try {
                n = JSON.readTree(text);
            } catch (JsonProcessingException ex) {
                throw corrupt(file, line, "not valid JSON (" + brief(ex) + ")");
            }
            if (n == null || !n.isObject()) {
                throw corrupt(file, line, "not a JSON object");
            }
            JsonNode keyNode = n.get("key");
            if (keyNode == null || !keyNode.isTextual()) {
                throw corrupt(file, line, "key is missing or not a string");
            }
            String key = keyNode.asText();
            if (!Names.isValidKey(key)) {
                throw corrupt(file, line, "invalid key \"" + shorten(key) + "\"");
            }
            JsonNode rev = n.get("revision");
            if (rev == null || !rev.isIntegralNumber() || !rev.canConvertToLong() || rev.asLong() < 1) {
                throw corrupt(file, line, "revision is missing or not a positive whole number");
            }
            long revision = rev.asLong();
            if (revision <= lastRevision) {
                throw corrupt(file, line, "revision " + revision + " is not after revision " + lastRevision
                        + " (entries must be in revision order)");
            }
            JsonNode createdNode = n.get("created");
            Instant created = createdNode != null && createdNode.isTextual() ? parseTime(createdNode.asText()) : null;
            if (created == null) {
                throw corrupt(file, line, "created is missing or not an RFC 3339 time");
            }
            JsonNode opNode = n.get("operation");
            Operation op = null;
            if (opNode != null && opNode.isTextual()) {
                for (Operation o : Operation.values()) {
                    if (o.name().equals(opNode.asText())) {
                        op = o;
                    }
                }
            }
            if (op == null) {
                throw corrupt(file, line, "operation is missing or not one of PUT, DEL, PURGE");
            }
            JsonNode valueNode = n.get("value_base64");
            byte[] value;
            if (valueNode == null || valueNode.isNull()) {
                value = new byte[0];
            } else if (!valueNode.isTextual()) {
                throw corrupt(file, line, "value_base64 is not a string");
            } else {
                try {
                    value = Base64.getDecoder().decode(valueNode.asText());
                } catch (IllegalArgumentException ex) {
                    throw corrupt(file, line, "value_base64 is not valid base64");
                }
            }
            return new Entry(bucket, key, value, revision, created, 0, op);
        }

        @Override
        public void close() {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }

    /** Streams the entries of a verified backup; closes its file at the end or on an error. */
    private static final class StreamingIterator implements Iterator<Entry> {
        private final EntryReader reader;
        private Entry next;
        private boolean finished;

        StreamingIterator(Path file, String bucket) {
            this.reader = new EntryReader(file, bucket, null);
        }

        @Override
        public boolean hasNext() {
            if (next == null && !finished) {
                try {
                    next = reader.next();
                } catch (RuntimeException e) {
                    finished = true;
                    reader.close();
                    throw e;
                }
                if (next == null) {
                    finished = true;
                    reader.close();
                }
            }
            return next != null;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            next = null;
            return e;
        }
    }

    private static BucketConfig parseConfig(Path file, JsonNode c) {
        if (c == null || !c.isObject()) {
            throw corrupt(file, "config is missing or not an object");
        }
        try {
            String name = requireText(file, c, "name");
            String ttlText = c.hasNonNull("ttl") ? c.get("ttl").asText() : "0s";
            Duration ttl;
            try {
                ttl = Durations.parse(ttlText);
            } catch (KvException e) {
                throw corrupt(file, "invalid config: ttl: " + e.getMessage());
            }
            String storage = c.hasNonNull("storage") ? c.get("storage").asText() : "file";
            StorageType storageType;
            try {
                storageType = StorageType.valueOf(storage.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw corrupt(file, "invalid config: storage \"" + storage + "\" is not file or memory");
            }
            return BucketConfig.builder(name)
                    .description(c.hasNonNull("description") ? c.get("description").asText() : "")
                    .history((int) requireLong(file, c, "history"))
                    .ttl(ttl)
                    .maxValueSize(c.hasNonNull("max_value_size") ? requireLong(file, c, "max_value_size")
                            : BucketConfig.UNLIMITED)
                    .maxBucketSize(c.hasNonNull("max_bucket_size") ? requireLong(file, c, "max_bucket_size")
                            : BucketConfig.UNLIMITED)
                    .replicas(c.hasNonNull("replicas") ? (int) requireLong(file, c, "replicas") : 1)
                    .storage(storageType)
                    .mirror(c.hasNonNull("mirror") ? c.get("mirror").asText() : null)
                    .build();
        } catch (CorruptDataException e) {
            throw e;
        } catch (KvException e) {
            throw corrupt(file, "invalid config: " + e.getMessage());
        }
    }

    private static long requireLong(Path file, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw corrupt(file, field + " is missing or not a whole number");
        }
        long value = v.asLong();
        if (value > Integer.MAX_VALUE && (field.equals("history") || field.equals("replicas"))) {
            throw corrupt(file, field + " is out of range");
        }
        return value;
    }

    private static String requireText(Path file, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw corrupt(file, field + " is missing or not a string");
        }
        return v.asText();
    }

    private static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String brief(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "unreadable";
        }
        m = m.lines().findFirst().orElse("");
        return m.length() > 120 ? m.substring(0, 117) + "..." : m;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static CorruptDataException corrupt(Path file, String what) {
        return new CorruptDataException("damaged backup: " + file + ": " + what);
    }

    private static CorruptDataException corrupt(Path file, long line, String what) {
        return new CorruptDataException("damaged backup: " + file + " line " + line + ": " + what);
    }

    private static StoreException ioError(String what, IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchFileException) {
            m = "no such file " + m;
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            m = "permission denied: " + m;
        }
        return new StoreException(what + ": " + m, e);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
