package dev.tend.watchers.kv;

import dev.tend.kv.Entry;
import dev.tend.kv.Operation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a watch-mode kv watcher has seen, and whether that is a change from what the machine data holds. For a single
 * key it is that key's value (or its absence); for a filter or a whole bucket a map of full key to value. Entries are
 * judged as a poll judges a read ({@link PollingKvWatcher}): a different value is a change, so is a key that
 * disappears; an equal value is one only with {@code on_matching_update} (a higher revision) or
 * {@code on_successful_get}. Revisions are only known for what was seen since the watcher started, as the reference's
 * poll knows them. What the entries since the last {@link #takeOutcomes()} came to is kept in order, as polls at each
 * write would have seen them: a change ({@link KvOutcome#CHANGED}) or a value that could not become data
 * ({@link KvOutcome#ERROR}), a run of equal ones as one. Not thread-safe: used only on its watcher's lane.
 */
final class WatchView {

    /** A value that could not become data: its key, its revision and why, in one line. */
    record Invalid(String key, long revision, String message) {
    }

    private final boolean single;
    private final Function<Entry, Object> parser;
    private final boolean onSuccessfulGet;
    private final boolean onMatchingUpdate;

    /** By full key; for a single key at most one entry. Sorted so that the stored map is stable. */
    private final Map<String, Object> values = new TreeMap<>();
    private final Map<String, Long> revisions = new HashMap<>();
    /** Why values seen since the last {@link #takeInvalid()} could not become data. */
    private final List<Invalid> invalid = new ArrayList<>();
    /** What the entries since the last {@link #takeOutcomes()} came to, in order, a run of equal ones as one. */
    private final List<KvOutcome> outcomes = new ArrayList<>();
    private boolean dirty;

    private WatchView(boolean single, Function<Entry, Object> parser, KvSettings settings) {
        this.single = single;
        this.parser = parser;
        this.onSuccessfulGet = settings.onSuccessfulGet();
        this.onMatchingUpdate = settings.onMatchingUpdate();
    }

    /** One key, starting from the value the machine data holds for it (so a restart with the same value is no change). */
    static WatchView single(String key, Optional<Object> stored, Function<Entry, Object> parser, KvSettings settings) {
        WatchView view = new WatchView(true, parser, settings);
        stored.ifPresent(v -> view.values.put(key, v));
        return view;
    }

    /** A map of keys, starting from the map the machine data holds (anything else counts as none). */
    static WatchView map(Optional<Object> stored, Function<Entry, Object> parser, KvSettings settings) {
        WatchView view = new WatchView(false, parser, settings);
        if (stored.isPresent() && stored.get() instanceof Map<?, ?> m) {
            m.forEach((k, v) -> view.values.put(String.valueOf(k), v));
        }
        return view;
    }

    boolean isSingle() {
        return single;
    }

    /**
     * A watch's initial set: the latest entry of every matching key, markers included. Keys held that are not among
     * its values went away while nobody watched.
     */
    void sync(Collection<Entry> latest) {
        Map<String, Entry> byKey = new HashMap<>();
        latest.forEach(e -> byKey.put(e.key(), e));
        for (String key : values.keySet().toArray(String[]::new)) {
            Entry e = byKey.get(key);
            if (e == null || e.operation() != Operation.PUT) {
                remove(key);
            }
        }
        byKey.values().stream().filter(e -> e.operation() == Operation.PUT)
                .sorted((a, b) -> Long.compare(a.revision(), b.revision()))
                .forEach(this::put);
    }

    /** A live write. */
    void apply(Entry e) {
        if (e.operation() == Operation.PUT) {
            put(e);
        } else {
            remove(e.key());
        }
    }

    private void put(Entry e) {
        Object value;
        try {
            value = parser.apply(e);
        } catch (InvalidValueException x) { // as a poll that fails: the key keeps its value and revision
            invalid.add(new Invalid(e.key(), e.revision(), x.getMessage()));
            note(KvOutcome.ERROR);
            return;
        }
        if (!values.containsKey(e.key()) || !KvValues.same(value, values.get(e.key()))) {
            values.put(e.key(), value);
            revisions.put(e.key(), e.revision());
            dirty = true;
            note(KvOutcome.CHANGED);
            return;
        }
        long seen = revisions.getOrDefault(e.key(), 0L);
        revisions.put(e.key(), e.revision());
        if ((onMatchingUpdate && seen > 0 && e.revision() > seen) || onSuccessfulGet) {
            note(KvOutcome.CHANGED);
        }
    }

    private void remove(String key) {
        if (values.containsKey(key)) {
            values.remove(key);
            revisions.remove(key);
            dirty = true;
            note(KvOutcome.CHANGED);
        }
    }

    private void note(KvOutcome outcome) {
        if (outcomes.isEmpty() || outcomes.get(outcomes.size() - 1) != outcome) {
            outcomes.add(outcome);
        }
    }

    /**
     * What the entries since the last call came to, in order ({@link KvOutcome#CHANGED}, {@link KvOutcome#ERROR}), a
     * run of equal ones as one; empty when nothing counted. Resets.
     */
    List<KvOutcome> takeOutcomes() {
        return take(outcomes);
    }

    /** Whether anything counted as a change since the last call ({@link #takeOutcomes()}); resets. */
    boolean takeChanged() {
        return takeOutcomes().contains(KvOutcome.CHANGED);
    }

    /** The values seen since the last call that could not become data; resets. */
    List<Invalid> takeInvalid() {
        return take(invalid);
    }

    /** What {@code list} holds, which it no longer does. */
    private static <T> List<T> take(List<T> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<T> taken = List.copyOf(list);
        list.clear();
        return taken;
    }

    /** Whether what should be stored differs from what was stored since the last call; resets. */
    boolean takeDirty() {
        boolean d = dirty;
        dirty = false;
        return d;
    }

    /** Whether the machine data should hold a value: always for a map; for a single key, when it has one. */
    boolean holdsValue() {
        return !single || !values.isEmpty();
    }

    /** What the machine data should hold when {@link #holdsValue()}: the single key's value, or a copy of the map. */
    Object value() {
        if (single) {
            return values.isEmpty() ? null : values.values().iterator().next();
        }
        return new TreeMap<>(values);
    }
}
