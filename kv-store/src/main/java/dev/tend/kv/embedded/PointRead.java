package dev.tend.kv.embedded;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Answers a read of one key without the bucket's index, for processes that read a key or two and exit: the key's
 * entries from the index snapshot ({@link HintFile#lookup}), then every record the log has after the snapshot,
 * applied to them by the index's own rules ({@link KeyIndex#apply}: history limit, purge). The result is the array
 * the full index would hold for the key, so the reads built on it answer alike.
 */
final class PointRead {
    /**
     * The most log a point read scans after the snapshot (or from the start, without one). Beyond it loading the
     * index is the better deal, and a process that loads it writes a fresh snapshot when it closes.
     */
    static final long MAX_TAIL_BYTES = Maintenance.HINT_ON_CLOSE_BYTES;
    /** The answer when only the index can answer (too much log to scan, or a damaged or torn record in it). */
    static final long[] UNANSWERED = new long[0];

    private PointRead() {
    }

    /**
     * The entries of {@code key} (null: none) in the log of {@code generation} up to {@code committed}, or
     * {@link #UNANSWERED}, also when more log lies after the snapshot than {@code tail} allows (the log decoded is
     * counted there). The caller has made sure that {@code committed} covers every durable record (the log may have
     * grown since: what lies beyond is not read).
     */
    static long[] entries(StorageIo io, Path dir, long generation, DataFile log, long recordsStart, long committed,
                          int history, String key, PointTail tail) throws IOException {
        HintFile.Lookup found = HintFile.lookup(io, dir, generation, log, recordsStart, committed, key);
        long from = found == null ? recordsStart : found.offset();
        if (committed - from > tail.allowed()) {
            return UNANSWERED;
        }
        tail.decoded(committed - from);
        KeyIndex one = new KeyIndex(0, 0);
        if (found != null && found.entries() != null) {
            one.putSnapshotEntry(key, found.entries());
        }
        LogReader r = new LogReader(log, from, committed);
        LogRecord rec;
        while ((rec = r.next()) != null) {
            if (rec.key().equals(key)) {
                one.apply(rec, history);
            }
        }
        if (r.position() != committed) {
            return UNANSWERED;
        }
        return one.entries(key);
    }
}
