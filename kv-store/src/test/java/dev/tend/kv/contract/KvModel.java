package dev.tend.kv.contract;

import dev.tend.kv.Entry;
import dev.tend.kv.KeyExistsException;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.Operation;
import dev.tend.kv.WrongRevisionException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The KV semantics of one bucket without TTL, written as plainly as possible so a backend can be compared with
 * it step by step: one revision sequence, per-key retained entries trimmed to the history limit (markers count),
 * PURGE drops what came before, create and the CAS writes look at the key's latest revision of any kind.
 */
public final class KvModel {
    private final String bucket;
    private final int history;
    private final Clock clock;
    private final Map<String, List<Entry>> retained = new TreeMap<>();
    private long lastRevision;

    public KvModel(String bucket, int history, Clock clock) {
        this.bucket = bucket;
        this.history = history;
        this.clock = clock;
    }

    public long lastRevision() {
        return lastRevision;
    }

    /** Retained entries, markers included, as a bucket's status counts them. */
    public long values() {
        return retained.values().stream().mapToLong(List::size).sum();
    }

    private List<Entry> entries(String key) {
        return retained.getOrDefault(key, List.of());
    }

    /** The key's latest revision of any operation, 0 when it has no entries. */
    public long latestRevision(String key) {
        List<Entry> es = entries(key);
        return es.isEmpty() ? 0 : es.get(es.size() - 1).revision();
    }

    private long append(String key, byte[] value, Operation op) {
        long revision = ++lastRevision;
        List<Entry> es = retained.computeIfAbsent(key, k -> new ArrayList<>());
        if (op == Operation.PURGE) {
            es.clear();
        }
        es.add(new Entry(bucket, key, value.clone(), revision, clock.instant(), 0, op));
        while (es.size() > history) {
            es.remove(0);
        }
        return revision;
    }

    private void expect(String key, long expected) {
        long actual = latestRevision(key);
        if (actual != expected) {
            throw new WrongRevisionException(bucket, key, expected, actual);
        }
    }

    public long put(String key, byte[] value) {
        return append(key, value, Operation.PUT);
    }

    public long create(String key, byte[] value) {
        Optional<Entry> live = get(key);
        if (live.isPresent()) {
            throw new KeyExistsException(bucket, key, live.get().revision());
        }
        return append(key, value, Operation.PUT);
    }

    public long update(String key, byte[] value, long expectedRevision) {
        expect(key, expectedRevision);
        return append(key, value, Operation.PUT);
    }

    public long delete(String key) {
        return append(key, new byte[0], Operation.DEL);
    }

    public long delete(String key, long expectedRevision) {
        expect(key, expectedRevision);
        return delete(key);
    }

    public long purge(String key) {
        return append(key, new byte[0], Operation.PURGE);
    }

    public long purge(String key, long expectedRevision) {
        expect(key, expectedRevision);
        return purge(key);
    }

    public void purgeAll() {
        retained.clear();
    }

    public Optional<Entry> get(String key) {
        List<Entry> es = entries(key);
        if (es.isEmpty() || es.get(es.size() - 1).operation().isMarker()) {
            return Optional.empty();
        }
        return Optional.of(es.get(es.size() - 1));
    }

    public Optional<Entry> get(String key, long revision) {
        return entries(key).stream().filter(e -> e.revision() == revision && e.operation() == Operation.PUT)
                .findFirst();
    }

    /** Oldest first; each entry's delta is how many entries of the key follow it. */
    public List<Entry> history(String key) {
        List<Entry> es = entries(key);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < es.size(); i++) {
            out.add(es.get(i).withDelta(es.size() - 1 - i));
        }
        return out;
    }

    public List<String> keys(List<String> filters) {
        List<KeyFilter> parsed = KeyFilter.of(filters);
        return retained.keySet().stream()
                .filter(k -> KeyFilter.anyMatches(parsed, k))
                .filter(k -> get(k).isPresent())
                .sorted()
                .toList();
    }
}
