package dev.tend.kv.embedded;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A watch's initial entries come out in revision order, each with its own key, whatever order they went in. */
class InitialEntriesTest {

    @Property(tries = 50)
    void givesEveryEntryBackInRevisionOrder(@ForAll @IntRange(min = 0, max = 3000) int count, @ForAll long seed) {
        Random random = new Random(seed);
        List<EmbeddedWatch.Location> added = new ArrayList<>();
        long revision = 0;
        for (int i = 0; i < count; i++) {
            revision += 1 + random.nextInt(3);
            String key = random.nextInt(10) == 0 ? "k" : "key." + random.nextInt(100_000) + ".x".repeat(random.nextInt(4));
            added.add(new EmbeddedWatch.Location(key, revision));
        }
        Collections.shuffle(added, random);
        InitialEntries.Builder b = new InitialEntries.Builder();
        added.forEach(l -> b.add(l.key(), l.revision()));
        InitialEntries built = b.build();

        List<EmbeddedWatch.Location> expected = new ArrayList<>(added);
        expected.sort(Comparator.comparingLong(EmbeddedWatch.Location::revision));
        assertThat(built.size()).isEqualTo(count);
        List<EmbeddedWatch.Location> read = new ArrayList<>();
        for (int from = 0; from < count; from += 256) {
            read.addAll(built.slice(from, Math.min(count, from + 256)));
        }
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void noneIsEmpty() {
        assertThat(new InitialEntries.Builder().build().size()).isZero();
        assertThat(InitialEntries.NONE.slice(0, 0)).isEmpty();
    }
}
