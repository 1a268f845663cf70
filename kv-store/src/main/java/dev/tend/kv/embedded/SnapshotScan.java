package dev.tend.kv.embedded;

import dev.tend.kv.BucketConfig;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.Operation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers the bucket-wide reads of a short command ({@code tend kv keys}, {@code info}, {@code ls}) without the
 * bucket's index: the whole index snapshot read and walked in place ({@link HintFile#readWhole}), then the log after
 * it (at most {@link PointRead#MAX_TAIL_BYTES}) applied to the keys it touches by the index's own rules
 * ({@link KeyIndex#apply}). No map of every key is built, and no recovery or maintenance starts. Only for buckets
 * without a TTL (expiry depends on the clock and every entry's time: the index answers those). The answers are the
 * ones the index would give; null means only the index can answer (too much log after the snapshot, a damaged
 * snapshot or record).
 */
final class SnapshotScan {

    /** What {@code status} counts: values, their bytes, the last revision. */
    record Totals(long values, long bytes, long lastRevision) {
    }

    private final BucketConfig config;
    private final HintFile.Whole snapshot;
    /** The keys the log after the snapshot touches, with their entries as the index would hold them. */
    private final KeyIndex tail;
    /** The touched keys' entries in the snapshot (null: none), counted to replace them by {@link #tail}'s. */
    private final KeyIndex before;

    private SnapshotScan(BucketConfig config, HintFile.Whole snapshot, KeyIndex tail, KeyIndex before) {
        this.config = config;
        this.snapshot = snapshot;
        this.tail = tail;
        this.before = before;
    }

    /**
     * Reads the snapshot of {@code generation} and the log after it up to {@code committed}; null when only the
     * index can answer.
     */
    static SnapshotScan read(StorageIo io, Path dir, Generation generation, long committed) throws IOException {
        DataFile log = generation.log();
        HintFile.Whole w;
        try {
            w = HintFile.readWhole(io, dir, generation.number(), log, generation.recordsStart(), committed);
        } catch (IOException | RuntimeException e) {
            w = null; // damaged, stale or another format: as without one (loading the index reports why)
        }
        long from = w == null ? generation.recordsStart() : w.offset();
        if (committed - from > PointRead.MAX_TAIL_BYTES) {
            return null;
        }
        List<LogRecord> records = new ArrayList<>();
        LogReader r = new LogReader(log, from, committed);
        LogRecord rec;
        while ((rec = r.next()) != null) {
            records.add(rec);
        }
        if (r.position() != committed) {
            return null;
        }
        Set<String> touched = new LinkedHashSet<>();
        for (LogRecord record : records) {
            touched.add(record.key());
        }
        long startRevision = generation.header().startRevision();
        long droppedThrough = generation.header().droppedThrough();
        KeyIndex tail = new KeyIndex(startRevision, droppedThrough);
        KeyIndex before = new KeyIndex(startRevision, droppedThrough);
        try {
            for (String key : touched) {
                long[] e = w == null ? null : HintFile.find(w, key);
                if (e != null) {
                    tail.putSnapshotEntry(key, e);
                    before.putSnapshotEntry(key, e);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (w != null) {
            tail.restoreCounters(w.lastRevision(), 0, 0);
        }
        int history = generation.config().history();
        for (LogRecord record : records) {
            tail.apply(record, history);
        }
        return new SnapshotScan(generation.config(), w, tail, before);
    }

    /** The configuration of the generation read. */
    BucketConfig config() {
        return config;
    }

    /** The bucket's values, bytes and last revision as the index counts them; null when only the index can tell. */
    Totals totals() {
        long values = 0;
        long bytes = 0;
        if (snapshot != null) {
            try {
                HintFile.Totals t = HintFile.totals(snapshot);
                values = t.values();
                bytes = t.bytes();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return new Totals(values - before.values() + tail.values(), bytes - before.bytes() + tail.bytes(),
                tail.lastRevision());
    }

    /**
     * The keys whose latest entry is a value and that a filter matches, sorted ({@link String#compareTo}); null when
     * only the index can tell. The snapshot's keys are sorted on their bytes ({@link HintFile#sortedLiveKeys}) and
     * merged with those the log after it touches.
     */
    List<String> sortedLiveKeys(List<KeyFilter> filters) {
        List<String> touched = tail.matching(List.of(KeyFilter.ALL));
        List<String> fromTail = new ArrayList<>();
        for (String key : touched) {
            long[] e = tail.entries(key);
            if (KeyIndex.op(e, KeyIndex.count(e) - 1) == Operation.PUT && KeyFilter.anyMatches(filters, key)) {
                fromTail.add(key);
            }
        }
        fromTail.sort(Comparator.naturalOrder());
        if (snapshot == null) {
            return fromTail;
        }
        int[] records;
        try {
            records = HintFile.sortedLiveKeys(snapshot, filters);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        Set<String> skip = touched.isEmpty() ? Set.of() : new HashSet<>(touched);
        List<String> out = new ArrayList<>(records.length + fromTail.size());
        int t = 0;
        for (int record : records) {
            String key = HintFile.keyAt(snapshot, record);
            if (skip.contains(key)) {
                continue; // the log after the snapshot decides: fromTail has it if it holds a value
            }
            while (t < fromTail.size() && fromTail.get(t).compareTo(key) < 0) {
                out.add(fromTail.get(t++));
            }
            out.add(key);
        }
        while (t < fromTail.size()) {
            out.add(fromTail.get(t++));
        }
        return out;
    }
}
