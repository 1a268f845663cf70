package dev.tend.kv.backup;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.ConflictException;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;
import dev.tend.kv.FellBehindException;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.NotFoundException;
import dev.tend.kv.StoreException;
import dev.tend.kv.StoreMode;
import dev.tend.kv.UnsupportedFormatException;
import dev.tend.kv.support.FileModes;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;

import static dev.tend.kv.backup.BackupFiles.corrupt;
import static dev.tend.kv.backup.BackupFiles.ioError;

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
 * directory holds a complete backup exactly when it holds {@code bucket.json}. They are created for their owner only
 * (0600; the directory, if created, 0700), or for the group too with {@link StoreMode#GROUP} (0660, 2770), since
 * values may be secrets. Reading verifies the whole backup
 * (format version, every line, the count and the checksum) before it returns, so a restore does not start from a
 * damaged backup.
 */
public final class BucketBackup {

    /** The format version this code writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;
    public static final String FORMAT_NAME = "tend-kv-backup";
    public static final String BUCKET_FILE = "bucket.json";
    public static final String ENTRIES_FILE = "entries.jsonl";

    private static final SecureRandom RANDOM = new SecureRandom();
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
        return write(bucket, dir, overwrite, StoreMode.OWNER);
    }

    /**
     * As {@link #write(Bucket, Path, boolean)}, with files (and the directory, if created) for the owner only or for
     * the group too, as {@code mode} says.
     */
    public static BackupSummary write(Bucket bucket, Path dir, boolean overwrite, StoreMode mode) {
        FileModes modes = new FileModes(mode);
        Path d = dir.toAbsolutePath().normalize();
        if (Files.exists(d) && !Files.isDirectory(d)) {
            throw new InvalidInputException(d + " exists and is not a directory");
        }
        if (isBackup(d) && !overwrite) {
            throw new ConflictException(d + " already holds a backup; choose another directory or overwrite it");
        }
        try {
            modes.createDirectories(d);
        } catch (IOException e) {
            throw ioError("cannot create " + d, e);
        }
        String token = Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE);
        Path entriesTmp = d.resolve("." + ENTRIES_FILE + "." + token + ".tmp");
        Path bucketTmp = d.resolve("." + BUCKET_FILE + "." + token + ".tmp");
        try {
            BucketStatus before = bucket.status();
            Instant created = Instant.now();
            MessageDigest sha = BackupFiles.sha256();
            EntriesWriter.Written written;
            for (int attempt = 1; ; attempt++) {
                sha.reset();
                try {
                    written = EntriesWriter.write(bucket, entriesTmp, sha, modes);
                    break;
                } catch (StoreException e) {
                    // Compaction dropped entries the watch had not read yet (a busy bucket): start again.
                    if (!(e.getCause() instanceof FellBehindException) || attempt >= MAX_ATTEMPTS) {
                        throw e;
                    }
                }
            }
            long entriesBytes = Files.size(entriesTmp);
            long lastRevision = Math.max(before.lastRevision(), written.lastRevision());
            byte[] headBytes = new BucketFile(FORMAT_VERSION, created, before.config(), lastRevision,
                    written.count(), entriesBytes, HexFormat.of().formatHex(sha.digest()), before.backend()).toJson();
            try (FileChannel ch = modes.create(bucketTmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(headBytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
                ch.force(true);
            }
            // bucket.json goes last: the directory holds a complete backup exactly when it is there.
            Files.deleteIfExists(d.resolve(BUCKET_FILE));
            BackupFiles.move(entriesTmp, d.resolve(ENTRIES_FILE));
            BackupFiles.move(bucketTmp, d.resolve(BUCKET_FILE));
            BackupFiles.forceDirectory(d);
            return new BackupSummary(bucket.name(), written.count(), entriesBytes + headBytes.length + 1,
                    lastRevision, d);
        } catch (IOException e) {
            throw ioError("backup of bucket " + bucket.name() + " to " + d + " failed", e);
        } finally {
            BackupFiles.deleteQuietly(entriesTmp);
            BackupFiles.deleteQuietly(bucketTmp);
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
        BucketFile head;
        try {
            head = BucketFile.read(bucketFile);
        } catch (IOException e) {
            throw ioError("cannot read " + bucketFile, e);
        }
        Path entriesFile = d.resolve(ENTRIES_FILE);
        if (!Files.isRegularFile(entriesFile)) {
            throw corrupt(entriesFile, "missing (the backup is incomplete)");
        }

        String bucketName = head.config().name();
        MessageDigest sha = BackupFiles.sha256();
        long count = 0;
        long lastSeen = 0;
        try (EntriesReader reader = new EntriesReader(entriesFile, bucketName, sha)) {
            Entry e;
            while ((e = reader.next()) != null) {
                count++;
                lastSeen = e.revision();
            }
        }
        if (count != head.entries()) {
            throw corrupt(entriesFile, "holds " + count + " entries but " + BUCKET_FILE + " says " + head.entries());
        }
        if (head.entriesSha256() != null
                && !head.entriesSha256().equalsIgnoreCase(HexFormat.of().formatHex(sha.digest()))) {
            throw corrupt(entriesFile, "checksum does not match " + BUCKET_FILE + " (the file was changed or damaged)");
        }
        if (lastSeen > head.lastRevision()) {
            throw corrupt(entriesFile, "holds revision " + lastSeen + " but " + BUCKET_FILE
                    + " says the last revision is " + head.lastRevision());
        }
        return new Backup(head.config(), EntriesReader.stream(entriesFile, bucketName), count, head.lastRevision(),
                head.created(), head.formatVersion(), d);
    }
}
