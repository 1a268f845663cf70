package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One generation of a bucket's log, open: its number, its file, and the header read from that file, which holds the
 * bucket's config. A compaction writes the next generation. The engine swaps the whole value as one reference
 * ({@link LogView}), so whoever takes it has a log, a header and a config that belong together.
 *
 * <p>Also where generations live on disk ({@code log-<n>.tkv}; docs/embedded-engine.md describes the format) and
 * how one entry is read back from its log.
 */
record Generation(long number, Path path, DataFile log, LogFormat.Header header) {
    private static final String LOG_PREFIX = "log-";
    private static final String LOG_SUFFIX = ".tkv";

    /** Opens generation {@code number}'s log in {@code dir} and reads its header: a bad or newer log is refused. */
    static Generation open(StorageIo io, Path dir, long number, boolean writable) throws IOException {
        Path p = logPath(dir, number);
        DataFile f = io.open(p, writable);
        try {
            LogFormat.Header h = LogFormat.Header.read(f, p);
            if (h.generation() != number) {
                throw new CorruptDataException(p + ": header says generation " + h.generation());
            }
            return new Generation(number, p, f, h);
        } catch (IOException | RuntimeException e) {
            BucketEngine.closeQuietly(f);
            throw e;
        }
    }

    /** The config this generation's log was written with. */
    BucketConfig config() {
        return header.config();
    }

    /** Where the first record starts, after the header. */
    long recordsStart() {
        return header.length();
    }

    static Path logPath(Path dir, long number) {
        return dir.resolve(LOG_PREFIX + number + LOG_SUFFIX);
    }

    /**
     * The generation in a file name {@code <prefix><digits><suffix>} ({@code log-7.tkv}), or -1 when the name is not
     * one. By hand rather than with a regex: compiling one is a noticeable part of a one-shot command's start-up.
     */
    static long numberIn(String fileName, String prefix, String suffix) {
        int end = fileName.length() - suffix.length();
        if (!fileName.startsWith(prefix) || !fileName.endsWith(suffix) || end <= prefix.length()
                || end - prefix.length() > 18) {
            return -1;
        }
        long g = 0;
        for (int i = prefix.length(); i < end; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            g = g * 10 + (c - '0');
        }
        return g;
    }

    /**
     * The newest generation with a log in {@code dir}: the truth, since a compaction renames its log into place only
     * once forced (the head may lag behind it after a crash).
     */
    static long highest(Path dir, String bucket) throws IOException {
        return highest(dir, bucket, null);
    }

    /**
     * As {@link #highest(Path, String)}, adding to {@code leftovers} (unless null) the temporary files the same
     * listing finds ({@link LeftoverFiles}), so that opening a bucket looks for them without another system call.
     */
    static long highest(Path dir, String bucket, List<Path> leftovers) throws IOException {
        long best = 0;
        // A DirectoryStream rather than Files.list: no stream pipeline to set up in a one-shot process.
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                best = Math.max(best, numberIn(name, LOG_PREFIX, LOG_SUFFIX));
                // The suffix first: LeftoverFiles is loaded only when there is something to look at.
                if (leftovers != null && name.endsWith(".tmp") && LeftoverFiles.isTemporary(name)) {
                    leftovers.add(p);
                }
            }
        }
        if (best == 0) {
            throw new CorruptDataException("bucket " + bucket + ": no log file in " + dir);
        }
        return best;
    }

    /**
     * Deletes logs, snapshots and sorted keys files of generations before {@code current} (a compaction crashed
     * before it did; a version that does not know the sorted keys files compacted).
     */
    static void removeOlderThan(Path dir, long current) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String f = p.getFileName().toString();
                long g = Math.max(Math.max(numberIn(f, LOG_PREFIX, LOG_SUFFIX), numberIn(f, "index-", ".hint")),
                        numberIn(f, "index-", SortedKeysFile.SUFFIX));
                if (g > 0 && g < current) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /**
     * Reads and checks the record of entry {@code i} of {@code key} ({@code e}, as the index packs them). The caller
     * holds the view's read lock, so the log is not closed meanwhile.
     */
    Entry readEntry(String bucket, String key, long[] e, int i, long delta, boolean metaOnly) throws IOException {
        long rev = KeyIndex.revision(e, i);
        if (metaOnly) {
            return new Entry(bucket, key, new byte[0], rev, Times.instant(KeyIndex.created(e, i)), delta,
                    KeyIndex.op(e, i));
        }
        long offset = KeyIndex.offset(e, i);
        ByteBuffer buf = ByteBuffer.allocate(KeyIndex.recordLength(key, e, i));
        log.readFully(buf, offset);
        buf.flip();
        LogRecord r = LogFormat.decode(buf, offset);
        if (r == null) {
            throw new CorruptDataException(path + ": the record at offset " + offset + " fails its checksum");
        }
        if (r.revision() != rev || !r.key().equals(key)) {
            throw new CorruptDataException(path + ": the record at offset " + offset + " is not revision " + rev
                    + " of key \"" + key + "\"");
        }
        return r.toEntry(bucket, delta, false);
    }

    /** The error for a damaged record that intact ones follow: never cut, never repaired, only reported. */
    CorruptDataException corruptAt(long offset, String bucket) {
        return new CorruptDataException(path + ": the record at offset " + offset
                + " is damaged and intact records follow it; the file was left untouched (run: tend kv check "
                + bucket + ")");
    }
}
