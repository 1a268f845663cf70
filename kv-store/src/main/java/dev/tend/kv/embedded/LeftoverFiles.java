package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The temporary files Tend writes and renames into place, which a crash (a killed process, a power loss) leaves
 * behind: in a bucket's directory a compaction's {@code log-<g+1>.tkv.tmp} (as large as the bucket), an index
 * snapshot's {@code index-<g>.hint.<x>.tmp} and its sorted keys' {@code index-<g>.keys.<x>.tmp}, and
 * {@code config.json.<x>.tmp}; in the store's directory a bucket being
 * created ({@code .tmp-<uuid>}) and a removed bucket being deleted ({@code .deleted-<uuid>}).
 *
 * <p>Each is removed only when no live process can be writing it, as the lock its writer holds tells
 * ({@link BucketLock}): a compaction's while nobody holds the compaction lock, a config's under the file lock (its
 * writers hold that), a snapshot's while nobody holds the snapshot lock, a bucket being created while nobody holds
 * the file lock of its {@code lock} file (its creator holds it from just after making the directory until it is
 * renamed into place). A removed bucket's files are no one's. Opening a bucket removes its leftovers, creating a
 * bucket the store's; {@code tend kv check} reports them ({@link #describe}).
 */
final class LeftoverFiles {
    private static final LazyLogger LOG = new LazyLogger(LeftoverFiles.class);
    private static final String TMP = ".tmp";
    static final String CREATING_PREFIX = ".tmp-";
    static final String DELETING_PREFIX = ".deleted-";

    private LeftoverFiles() {
    }

    /** True for the name of a temporary file in a bucket's directory. */
    static boolean isTemporary(String fileName) {
        return isCompaction(fileName) || isSnapshot(fileName) || isConfig(fileName);
    }

    private static boolean isCompaction(String fileName) {
        return Generation.numberIn(fileName, "log-", ".tkv" + TMP) > 0;
    }

    private static boolean isSnapshot(String fileName) {
        return fileName.startsWith("index-") && (fileName.contains(".hint.") || fileName.contains(".keys."))
                && fileName.endsWith(TMP);
    }

    private static boolean isConfig(String fileName) {
        return fileName.startsWith(ConfigFile.NAME + ".") && fileName.endsWith(TMP);
    }

    /**
     * Removes the temporary files {@code found} in bucket {@code bucket}'s directory that no live process writes:
     * none while a compaction runs (it may be writing one, and it holds the file lock at times); the others holding
     * the file lock, and a snapshot's only while no snapshot is being written. The caller holds no lock.
     */
    static void removeFromBucket(String bucket, BucketLock lock, List<Path> found) throws IOException {
        if (!lock.lockCompaction(false)) {
            LOG.get().debug("bucket {}: a compaction is running; temporary files left as they are", bucket);
            return;
        }
        try {
            lock.runExclusive(() -> {
                List<Path> snapshots = new ArrayList<>();
                for (Path p : found) {
                    if (isSnapshot(p.getFileName().toString())) {
                        snapshots.add(p);
                    } else {
                        remove(bucket, p);
                    }
                }
                if (!snapshots.isEmpty() && !lock.tryRunWithoutSnapshotWriters(() -> {
                    for (Path p : snapshots) {
                        remove(bucket, p);
                    }
                })) {
                    LOG.get().debug("bucket {}: a snapshot is being written; its temporary files left", bucket);
                }
            });
        } finally {
            lock.unlockCompaction();
        }
    }

    private static void remove(String bucket, Path p) throws IOException {
        long size;
        try {
            size = Files.size(p);
            Files.delete(p);
        } catch (NoSuchFileException gone) {
            return;
        }
        LOG.get().info("bucket {}: removed {} ({} bytes), left by an interrupted {}", bucket, p, size,
                what(p.getFileName().toString()));
    }

    /**
     * Removes the store's half-made buckets whose creator is gone, and what is left of removed buckets. A bucket
     * being created is left alone while its creator holds its lock, and also when it holds nothing but its lock
     * file (its creator may be about to lock it).
     */
    static void removeFromStore(Path root) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, ".{tmp,deleted}-*")) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(DELETING_PREFIX)) {
                    EmbeddedKvStore.deleteTree(p);
                } else if (name.startsWith(CREATING_PREFIX) && Files.isDirectory(p)) {
                    removeIfAbandoned(p);
                }
            }
        }
    }

    private static void removeIfAbandoned(Path creating) throws IOException {
        BucketLock lock;
        try {
            lock = BucketLock.openExisting(creating);
        } catch (NoSuchFileException e) {
            return; // no lock file (yet): its creator may be about to make it
        }
        try (lock) {
            boolean removed = lock.tryRunExclusive(() -> {
                if (holdsMoreThanTheLock(creating)) {
                    EmbeddedKvStore.deleteTree(creating);
                }
            });
            if (removed && !Files.exists(creating)) {
                LOG.get().info("removed {}, a bucket whose creation was interrupted", creating);
            }
        }
    }

    private static boolean holdsMoreThanTheLock(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                if (!p.getFileName().toString().equals(BucketLock.NAME)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One line for each leftover in bucket {@code dir} and in the store's {@code root}, with its size and what
     * becomes of it, for {@code tend kv check}. Changes nothing, so it cannot tell a running writer's file from a
     * dead one's.
     */
    static List<String> describe(Path root, Path dir) {
        List<String> notes = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (isTemporary(name)) {
                    notes.add(p + ": " + size(p) + " bytes left by an interrupted " + what(name)
                            + " (or being written by one now); removed when the bucket is next opened");
                }
            }
        } catch (IOException e) {
            notes.add("cannot list " + dir + ": " + EmbeddedKvStore.reason(e));
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, ".{tmp,deleted}-*")) {
            for (Path p : entries) {
                boolean creating = p.getFileName().toString().startsWith(CREATING_PREFIX);
                notes.add(p + ": " + size(p) + " bytes of " + (creating
                        ? "a bucket whose creation was interrupted (or is under way)"
                        : "a removed bucket not yet deleted") + "; removed when a bucket is next created");
            }
        } catch (IOException e) {
            notes.add("cannot list " + root + ": " + EmbeddedKvStore.reason(e));
        }
        return notes;
    }

    private static String what(String fileName) {
        return isCompaction(fileName) ? "compaction" : isSnapshot(fileName) ? "index snapshot"
                : "rewrite of " + ConfigFile.NAME;
    }

    /** The bytes of a file, or of the files under a directory; 0 for what vanished meanwhile. */
    private static long size(Path p) {
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
