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
 * ({@link KeyIndex#apply}). For the counts alone ({@link #readTotals}), the snapshot's header, which holds them, and
 * the touched keys looked up one by one stand for the whole snapshot. No map of every key is built, and no recovery
 * or maintenance starts. Only for buckets without a TTL (expiry depends on the clock and every entry's time: the
 * index answers those). The answers are the ones the index would give; null means only the index can answer (too
 * much log after the snapshot, a damaged snapshot or record).
 */
final class SnapshotScan {

    /** What {@code status} counts: values, their bytes, the last revision. */
    record Totals(long values, long bytes, long lastRevision) {
    }

    /** The most keys the log after the snapshot may touch for {@link #readTotals} to look each up on its own. */
    static final int MAX_LOOKUPS = 64;

    private final BucketConfig config;
    /** The snapshot read whole; null without one, or when only its header was read ({@link #readTotals}). */
    private final HintFile.Whole snapshot;
    /** The values and bytes the snapshot's header counts, when only its header was read; else null. */
    private final HintFile.Totals counted;
    /** The keys the log after the snapshot touches, with their entries as the index would hold them. */
    private final KeyIndex tail;
    /** The touched keys' entries in the snapshot (null: none), counted to replace them by {@link #tail}'s. */
    private final KeyIndex before;

    private SnapshotScan(BucketConfig config, HintFile.Whole snapshot, HintFile.Totals counted, KeyIndex tail,
                         KeyIndex before) {
        this.config = config;
        this.snapshot = snapshot;
        this.counted = counted;
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
        List<LogRecord> records = tail(log, from, committed);
        if (records == null) {
            return null;
        }
        Set<String> touched = touched(records);
        try {
            return scan(generation, w, null, w == null ? 0 : w.lastRevision(), records, touched,
                    new WholeEntries(w));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * For {@link #totals} only: the snapshot's header, whose counts (snapshots written since the header holds them)
     * stand for its keys, and the log after it up to {@code committed}, whose keys are each looked up in the
     * snapshot (at most {@link #MAX_LOOKUPS}); null when that cannot answer (no usable snapshot, one without the
     * counts, a longer or longer-touching tail): then {@link #read} may.
     */
    static SnapshotScan readTotals(StorageIo io, Path dir, Generation generation, long committed) {
        DataFile log = generation.log();
        HintFile.Header h = HintFile.header(io, dir, generation.number(), log, generation.recordsStart(), committed);
        if (h == null || h.totals() == null) {
            return null;
        }
        try {
            List<LogRecord> records = tail(log, h.offset(), committed);
            if (records == null) {
                return null;
            }
            Set<String> touched = touched(records);
            if (touched.size() > MAX_LOOKUPS) {
                return null;
            }
            return scan(generation, null, h.totals(), h.lastRevision(), records, touched,
                    new LookedUpEntries(io, dir, generation, committed, h.offset()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The records after {@code from} up to {@code committed}; null when they are too many bytes or do not end there. */
    static List<LogRecord> tail(DataFile log, long from, long committed) throws IOException {
        if (committed - from > PointRead.MAX_TAIL_BYTES) {
            return null;
        }
        List<LogRecord> records = new ArrayList<>();
        LogReader r = new LogReader(log, from, committed);
        LogRecord rec;
        while ((rec = r.next()) != null) {
            records.add(rec);
        }
        return r.position() == committed ? records : null;
    }

    private static Set<String> touched(List<LogRecord> records) {
        Set<String> touched = new LinkedHashSet<>();
        for (LogRecord record : records) {
            touched.add(record.key());
        }
        return touched;
    }

    /** A touched key's entries in the snapshot, or null when it has none there. Classes, not lambdas: no bootstrap. */
    private interface SnapshotEntries {
        long[] of(String key) throws IOException;
    }

    /** From the snapshot read whole (null: there is none). */
    private record WholeEntries(HintFile.Whole w) implements SnapshotEntries {
        @Override
        public long[] of(String key) throws IOException {
            return w == null ? null : HintFile.find(w, key);
        }
    }

    /** Each key looked up in the snapshot whose header was read (its slot and the slot's keys). */
    private record LookedUpEntries(StorageIo io, Path dir, Generation generation, long committed, long offset)
            implements SnapshotEntries {
        @Override
        public long[] of(String key) throws IOException {
            HintFile.Lookup l = HintFile.lookup(io, dir, generation.number(), generation.log(),
                    generation.recordsStart(), committed, key);
            if (l == null || l.offset() != offset) {
                // Unusable now, or another snapshot of the generation written meanwhile: not the header's.
                throw new IOException("the snapshot changed while it was read");
            }
            return l.entries();
        }
    }

    private static SnapshotScan scan(Generation generation, HintFile.Whole w, HintFile.Totals counted,
                                     long snapshotLastRevision, List<LogRecord> records, Set<String> touched,
                                     SnapshotEntries entries) throws IOException {
        long startRevision = generation.header().startRevision();
        long droppedThrough = generation.header().droppedThrough();
        KeyIndex tail = new KeyIndex(startRevision, droppedThrough);
        KeyIndex before = new KeyIndex(startRevision, droppedThrough);
        for (String key : touched) {
            long[] e = entries.of(key);
            if (e != null) {
                tail.putSnapshotEntry(key, e);
                before.putSnapshotEntry(key, e);
            }
        }
        if (w != null || counted != null) {
            tail.restoreCounters(snapshotLastRevision, 0, 0);
        }
        int history = generation.config().history();
        for (LogRecord record : records) {
            tail.apply(record, history);
        }
        return new SnapshotScan(generation.config(), w, counted, tail, before);
    }

    /** The configuration of the generation read. */
    BucketConfig config() {
        return config;
    }

    /** The bucket's values, bytes and last revision as the index counts them; null when only the index can tell. */
    Totals totals() {
        long values = counted == null ? 0 : counted.values();
        long bytes = counted == null ? 0 : counted.bytes();
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
        if (counted != null) {
            return null; // only the snapshot's header was read (readTotals)
        }
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
