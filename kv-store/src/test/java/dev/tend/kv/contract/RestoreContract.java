package dev.tend.kv.contract;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketExistsException;
import dev.tend.kv.Entry;
import dev.tend.kv.InvalidInputException;
import dev.tend.kv.Operation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bucket restored from its retained entries holds them again, with their revisions where the backend keeps them. */
public abstract class RestoreContract extends KvContractSupport {

    private static List<Entry> everything(Bucket b) {
        List<Entry> all = new ArrayList<>();
        for (String key : allKeys(b)) {
            all.addAll(b.history(key));
        }
        all.sort(Comparator.comparingLong(Entry::revision));
        return all;
    }

    /** Keys with any retained entry, markers included: a watch of everything with history gives them all. */
    private static List<String> allKeys(Bucket b) {
        List<String> keys = new ArrayList<>(b.keys());
        for (String k : List.of("gone", "purged")) {
            if (!b.history(k).isEmpty()) {
                keys.add(k);
            }
        }
        return keys;
    }

    @Test
    void restoredBucketHoldsEveryRetainedEntryAgain() {
        BucketConfig config = newConfig().history(3).description("restored").build();
        Bucket b = store.create(config);
        for (int i = 0; i < 7; i++) {
            b.put("k" + (i % 3), "v" + i);
        }
        b.put("gone", "x");
        b.delete("gone");
        b.put("purged", "y");
        b.purge("purged");
        b.put("bin", new byte[] {0, (byte) 0xff, 7});
        List<Entry> before = everything(b);
        BucketStatus status = new BucketStatus(b.status().values(), b.status().lastRevision());

        store.delete(config.name());
        Bucket restored = store.restore(config, before);

        List<Entry> after = everything(restored);
        assertThat(after).extracting(Entry::key, Entry::operation, Entry::valueAsString)
                .containsExactlyElementsOf(before.stream().map(e -> org.assertj.core.groups.Tuple.tuple(
                        e.key(), e.operation(), e.valueAsString())).toList());
        assertThat(restored.get("bin").orElseThrow().value()).containsExactly(0, 0xff, 7);
        assertThat(restored.get("gone")).isEmpty();
        assertThat(restored.status().config()).isEqualTo(config);
        assertThat(restored.status().values()).isEqualTo(status.values());
        if (guarantees().preservesRevisions()) {
            assertThat(revisions(after)).isEqualTo(revisions(before));
            assertThat(after).extracting(Entry::created).isEqualTo(before.stream().map(Entry::created).toList());
            assertThat(restored.status().lastRevision()).isEqualTo(status.lastRevision());
            assertThat(restored.put("k0", "next")).isGreaterThan(status.lastRevision());
        } else {
            assertStrictlyIncreasing(revisions(after));
        }
    }

    @Test
    void restoreRefusesAnExistingBucket() {
        Bucket b = newBucket();
        b.put("a", "1");
        BucketConfig config = b.status().config();
        assertThatThrownBy(() -> store.restore(config, everything(b))).isInstanceOf(BucketExistsException.class)
                .hasMessageContaining(config.name());
    }

    @Test
    void restoreRefusesEntriesOutOfRevisionOrder() {
        if (!guarantees().preservesRevisions()) {
            return;
        }
        BucketConfig config = newConfig().build();
        Entry later = new Entry(config.name(), "a", bytes("2"), 5, java.time.Instant.now(), 0, Operation.PUT);
        Entry earlier = new Entry(config.name(), "b", bytes("1"), 3, java.time.Instant.now(), 0, Operation.PUT);
        assertThatThrownBy(() -> store.restore(config, List.of(later, earlier)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("revision 3");
    }

    private record BucketStatus(long values, long lastRevision) {
    }
}
