package dev.tend.kv.embedded;

import dev.tend.kv.KeyFilter;
import dev.tend.kv.Operation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KeyIndex}'s flat layout against a plain map of each key to its entries, kept by the same rules (history
 * limit, purge, expiry, purge of deletes, lowered history, clear): after every step of a random sequence the keys,
 * their entries, the counters and the filtered keys must agree, and so must a fork and a copy made through
 * {@link KeyIndex#putSnapshotEntry}. Many keys and removals make the index grow, rehash and reclaim key bytes.
 */
class KeyIndexPropertiesTest {

    enum Action { APPLY, EXPIRE, PURGE_DELETES, RETRIM, CLEAR, FORK_CHECK }

    record Step(Action action, int key, Operation op, int valueLength, int history, int cutoffBack) {
    }

    /** The reference: the map layout the index replaced, with the same rules. */
    static final class MapIndex {
        final Map<String, long[]> keys = new HashMap<>();
        long values;
        long bytes;
        long lastRevision;
        long lastCreated;
        long maxDropped;

        void apply(String key, Operation op, long revision, long offset, long created, int valueLength, int history) {
            long[] old = keys.get(key);
            int oldCount = old == null ? 0 : old.length / 4;
            int keep = op == Operation.PURGE ? 0 : Math.min(oldCount, history - 1);
            for (int i = 0; i < oldCount - keep; i++) {
                dropped(key, old, i);
            }
            long[] e = new long[(keep + 1) * 4];
            if (keep > 0) {
                System.arraycopy(old, (oldCount - keep) * 4, e, 0, keep * 4);
            }
            e[keep * 4] = revision;
            e[keep * 4 + 1] = offset;
            e[keep * 4 + 2] = created;
            e[keep * 4 + 3] = ((long) LogFormat.opCode(op) << 32) | valueLength;
            keys.put(key, e);
            values++;
            bytes += LogFormat.recordLength(key.length(), valueLength);
            lastRevision = Math.max(lastRevision, revision);
            lastCreated = Math.max(lastCreated, created);
        }

        void dropped(String key, long[] e, int i) {
            values--;
            bytes -= KeyIndex.recordLength(key, e, i);
            maxDropped = Math.max(maxDropped, KeyIndex.revision(e, i));
        }

        void keepLast(String key, long[] e, int n) {
            int drop = e.length / 4 - n;
            for (int i = 0; i < drop; i++) {
                dropped(key, e, i);
            }
            if (n == 0) {
                keys.remove(key);
            } else {
                keys.put(key, Arrays.copyOfRange(e, drop * 4, e.length));
            }
        }

        void retrim(int history) {
            for (Map.Entry<String, long[]> me : new ArrayList<>(keys.entrySet())) {
                if (KeyIndex.count(me.getValue()) > history) {
                    keepLast(me.getKey(), me.getValue(), history);
                }
            }
        }

        long expire(long cutoff) {
            long removed = 0;
            for (Map.Entry<String, long[]> me : new ArrayList<>(keys.entrySet())) {
                long[] e = me.getValue();
                int n = KeyIndex.count(e);
                int drop = 0;
                while (drop < n && KeyIndex.created(e, drop) <= cutoff) {
                    drop++;
                }
                if (drop > 0) {
                    keepLast(me.getKey(), e, n - drop);
                    removed += drop;
                }
            }
            return removed;
        }

        long purgeDeletes(long cutoff) {
            long changed = 0;
            for (Map.Entry<String, long[]> me : new ArrayList<>(keys.entrySet())) {
                long[] e = me.getValue();
                int n = KeyIndex.count(e);
                if (!KeyIndex.op(e, n - 1).isMarker()) {
                    continue;
                }
                if (KeyIndex.created(e, n - 1) <= cutoff) {
                    keepLast(me.getKey(), e, 0);
                    changed++;
                } else if (n > 1) {
                    keepLast(me.getKey(), e, 1);
                    changed++;
                }
            }
            return changed;
        }

        void clear() {
            keys.forEach((k, e) -> {
                for (int i = 0; i < KeyIndex.count(e); i++) {
                    maxDropped = Math.max(maxDropped, KeyIndex.revision(e, i));
                }
            });
            keys.clear();
            values = 0;
            bytes = 0;
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> apply = Combinators.combine(Arbitraries.integers().between(0, 299),
                        Arbitraries.of(Operation.PUT, Operation.PUT, Operation.PUT, Operation.DEL, Operation.PURGE),
                        Arbitraries.integers().between(0, 300), Arbitraries.integers().between(1, 5))
                .as((k, op, len, h) -> new Step(Action.APPLY, k, op, len, h, 0));
        Arbitrary<Step> other = Combinators.combine(
                        Arbitraries.of(Action.EXPIRE, Action.PURGE_DELETES, Action.RETRIM, Action.CLEAR,
                                Action.FORK_CHECK),
                        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(0, 400))
                .as((a, h, back) -> new Step(a, 0, Operation.PUT, 0, h, back));
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(40, apply), net.jqwik.api.Tuple.of(1, other));
        return step.list().ofMinSize(1).ofMaxSize(1500);
    }

    @Property(tries = 60)
    void agreesWithAMapOfEachKeyToItsEntries(@ForAll("steps") List<Step> steps) {
        KeyIndex index = new KeyIndex(0, 0);
        MapIndex model = new MapIndex();
        long revision = 0;
        for (Step s : steps) {
            switch (s.action()) {
                case APPLY -> {
                    revision++;
                    String key = key(s.key());
                    index.apply(key, s.op(), revision, revision * 100, revision * 10, s.valueLength(), s.history());
                    model.apply(key, s.op(), revision, revision * 100, revision * 10, s.valueLength(), s.history());
                }
                case EXPIRE -> assertThat(index.expire((revision - s.cutoffBack()) * 10))
                        .isEqualTo(model.expire((revision - s.cutoffBack()) * 10));
                case PURGE_DELETES -> assertThat(index.purgeDeletes((revision - s.cutoffBack()) * 10))
                        .isEqualTo(model.purgeDeletes((revision - s.cutoffBack()) * 10));
                case RETRIM -> {
                    index.retrim(s.history());
                    model.retrim(s.history());
                }
                case CLEAR -> {
                    index.clear();
                    model.clear();
                }
                case FORK_CHECK -> {
                    List<String> some = List.of(key(s.cutoffBack() % 300), key(7), "not.there");
                    KeyIndex fork = index.fork(some);
                    for (String k : some) {
                        assertThat(fork.entries(k)).isEqualTo(model.keys.get(k));
                    }
                    assertThat(fork.values()).isEqualTo(model.values);
                    assertThat(fork.bytes()).isEqualTo(model.bytes);
                    assertThat(snapshotCopy(index)).isEqualTo(contents(index));
                }
            }
            assertSame(index, model);
        }
    }

    @Test
    void keysOutsideAsciiAreFoundAgain() {
        KeyIndex index = new KeyIndex(0, 0);
        String odd = "caf\u00e9.\u20ac";
        index.apply(odd, Operation.PUT, 1, 0, 1, 3, 1);
        index.apply("cafe", Operation.PUT, 2, 10, 2, 3, 1);
        assertThat(index.entries(odd)).containsExactly(1, 0, 1, ((long) LogFormat.opCode(Operation.PUT) << 32) | 3);
        assertThat(index.matching(List.of(KeyFilter.ALL))).containsExactlyInAnyOrder(odd, "cafe");
        index.apply(odd, Operation.PURGE, 3, 20, 3, 0, 1);
        assertThat(KeyIndex.count(index.entries(odd))).isEqualTo(1);
        assertThat(index.keyCount()).isEqualTo(2);
    }

    @Test
    void aSnapshotEntryGivenAsBytesIsTheSameKeyAsItsString() {
        KeyIndex index = new KeyIndex(0, 0, 2);
        byte[] raw = "xxkey.1yy".getBytes(StandardCharsets.US_ASCII);
        long[] e = {5, 50, 500, ((long) LogFormat.opCode(Operation.PUT) << 32) | 4};
        index.putSnapshotEntry(raw, 2, 5, e);
        assertThat(index.entries("key.1")).isEqualTo(e);
        assertThat(index.values()).isEqualTo(1);
        assertThat(index.bytes()).isEqualTo(LogFormat.recordLength(5, 4));
    }

    private static String key(int n) {
        return (n % 3 == 0 ? "k." : n % 3 == 1 ? "deep.key." : "x") + n;
    }

    private static Map<String, List<Long>> contents(KeyIndex index) {
        Map<String, List<Long>> out = new HashMap<>();
        index.forEach((k, e) -> {
            List<Long> l = new ArrayList<>();
            for (long v : e) {
                l.add(v);
            }
            assertThat(out.put(k, l)).as("key %s given twice", k).isNull();
        });
        return out;
    }

    private static Map<String, List<Long>> snapshotCopy(KeyIndex index) {
        KeyIndex copy = new KeyIndex(0, 0, index.keyCount());
        index.forEach((k, e) -> {
            byte[] b = k.getBytes(StandardCharsets.US_ASCII);
            copy.putSnapshotEntry(b, 0, b.length, e);
        });
        assertThat(copy.values()).isEqualTo(index.values());
        assertThat(copy.bytes()).isEqualTo(index.bytes());
        return contents(copy);
    }

    private static void assertSame(KeyIndex index, MapIndex model) {
        Map<String, List<Long>> expected = new LinkedHashMap<>();
        model.keys.forEach((k, e) -> {
            List<Long> l = new ArrayList<>();
            for (long v : e) {
                l.add(v);
            }
            expected.put(k, l);
        });
        assertThat(contents(index)).isEqualTo(expected);
        assertThat(index.keyCount()).isEqualTo(model.keys.size());
        for (String k : model.keys.keySet()) {
            assertThat(index.entries(k)).isEqualTo(model.keys.get(k));
        }
        assertThat(index.entries("k.1000")).isNull();
        assertThat(index.values()).isEqualTo(model.values);
        assertThat(index.bytes()).isEqualTo(model.bytes);
        assertThat(index.lastRevision()).isEqualTo(model.lastRevision);
        assertThat(index.lastCreated()).isEqualTo(model.lastCreated);
        assertThat(index.maxDropped()).isEqualTo(model.maxDropped);
        Set<String> deep = new HashSet<>();
        for (String k : model.keys.keySet()) {
            if (k.startsWith("deep.")) {
                deep.add(k);
            }
        }
        assertThat(new HashSet<>(index.matching(List.of(KeyFilter.of("deep.>"))))).isEqualTo(deep);
    }
}
