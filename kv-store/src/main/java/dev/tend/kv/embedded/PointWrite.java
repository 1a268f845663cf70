package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What a write batch is validated against when this process has not loaded the bucket's index (a one-shot
 * {@code tend kv put}): the batch's keys' entries and the bucket's last revision and time, read the way a point read
 * reads one key ({@link PointRead}): the keys' slots in the index snapshot and the header's counters, then every
 * record of the log after the snapshot up to the head's appended mark (the committed records, then the batches
 * other processes appended and are still forcing), the batch's keys' records applied by the index's own rules
 * ({@link KeyIndex#apply}: history limit, purge), the others only counted toward the last revision and time. The
 * result holds, for the batch's keys, what the fork of the full index would hold: the same revisions, creation
 * times, create and compare-and-set answers and history trimming. Its value and byte counts cover only those keys.
 *
 * <p>Only the clean case is answered here: the head names the generation this process has open, the log ends at the
 * head's appended mark, the records beyond the published mark belong to writers that hold them pending
 * ({@link BucketLock#pendingBatchesLive}; a dead writer's orphans are settled by the index load), the forced mark is
 * of this generation, no newer generation's log exists, the bucket has no max bucket size (the check needs every
 * key's bytes), at most {@link PointRead#MAX_TAIL_BYTES} of log after the snapshot (less once this process's point reads and writes
 * have decoded much: {@link PointTail}), every record in it intact.
 * Otherwise {@link #start} returns null and the write is made after loading the index, whose recovery repairs what
 * needs repairing. The file lock is held throughout, so nothing it reads changes.
 */
final class PointWrite {
    /** Where a batch starts without the index: the generation written to, the offset it goes at, the keys' state. */
    record Start(Generation gen, long at, KeyIndex fork) {
    }

    private PointWrite() {
    }

    /** True when writes to a bucket of config {@code c} can be validated without the index. */
    static boolean answers(BucketConfig c) {
        return c.maxBucketSize() == BucketConfig.UNLIMITED;
    }

    /**
     * The start of a batch writing {@code keys}, or null when only the index can validate it. The file lock is
     * held; the engine's index is not loaded (or was loaded by another thread meanwhile, which changes nothing
     * here: this reads only the files and the open generation).
     */
    static Start start(BucketEngine engine, Set<String> keys) throws IOException {
        // The files' identity was checked just before the file lock was taken (BatchWriter.append).
        Generation gen = engine.view.generation();
        if (!answers(gen.config())) {
            return null;
        }
        HeadFile.State h = engine.head.read();
        long g = gen.number();
        if (h == null || h.deleted() || h.generation() != g || gen.log().size() != h.appended()
                || HeadFile.lengthIn(engine.head.word(HeadFile.FORCED_AT), g) < 0
                || Files.exists(Generation.logPath(engine.dir, g + 1))
                || engine.orphansBeyond(h)) {
            // The last: a dead writer's batch beyond the published mark, which the index load settles first.
            return null;
        }
        KeyIndex fork = fork(engine.io, engine.dir, gen, h.length(), h.appended(), keys, engine.pointTail);
        return fork == null ? null : new Start(gen, h.appended(), fork);
    }

    /**
     * The keys' entries and the bucket's last revision and time as of {@code appended} in {@code gen}'s log, whose
     * records up to {@code committed} are published and those after it intact batches waiting for their force; null
     * when more log lies after the snapshot than {@code tail} allows (the log decoded is counted there) or a record
     * in it is not intact.
     */
    static KeyIndex fork(StorageIo io, Path dir, Generation gen, long committed, long appended, Set<String> keys,
                         PointTail tail) throws IOException {
        LogFormat.Header header = gen.header();
        KeyIndex fork = new KeyIndex(header.startRevision(), header.droppedThrough());
        long from = fromSnapshot(io, dir, gen, committed, keys, fork);
        if (appended - from > tail.allowed()) {
            return null;
        }
        tail.decoded(appended - from);
        int history = gen.config().history();
        LogReader r = new LogReader(gen.log(), from, appended);
        LogRecord rec;
        while ((rec = r.next()) != null) {
            if (keys.contains(rec.key())) {
                fork.apply(rec, history);
            } else {
                fork.passOver(rec.revision(), rec.createdNanos());
            }
        }
        return r.position() == appended ? fork : null;
    }

    /**
     * Puts the keys' entries from the snapshot into {@code fork} with the snapshot's counters, and returns the
     * offset the snapshot covers; without a usable snapshot (or when the lookups found two different ones, as when
     * another process replaced it meanwhile) puts nothing and returns where the log's records start.
     */
    private static long fromSnapshot(StorageIo io, Path dir, Generation gen, long committed, Set<String> keys,
                                     KeyIndex fork) {
        String[] names = new String[keys.size()];
        HintFile.Lookup[] found = new HintFile.Lookup[names.length];
        int n = 0;
        for (String k : keys) {
            HintFile.Lookup l = HintFile.lookup(io, dir, gen.number(), gen.log(), gen.recordsStart(), committed, k);
            if (l == null || (n > 0 && (l.offset() != found[0].offset()
                    || l.lastRevision() != found[0].lastRevision()))) {
                return gen.recordsStart();
            }
            names[n] = k;
            found[n++] = l;
        }
        if (n == 0) {
            return gen.recordsStart();
        }
        for (int i = 0; i < n; i++) {
            if (found[i].entries() != null) {
                fork.putSnapshotEntry(names[i], found[i].entries());
            }
        }
        fork.restoreCounters(found[0].lastRevision(), found[0].lastCreated(), 0);
        return found[0].offset();
    }
}
