package dev.tend.watchers.kv;

import dev.tend.kv.Entry;
import dev.tend.kv.Operation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class WatchViewTest {

    private static final Function<Entry, Object> RAW = Entry::valueAsString;

    private static KvSettings settings(boolean onSuccessfulGet, boolean onMatchingUpdate) {
        return new KvSettings("CFG", "k", true, true, "", "", false, onSuccessfulGet, onMatchingUpdate, Duration.ZERO);
    }

    private static Entry put(String key, String value, long revision) {
        return new Entry("CFG", key, value.getBytes(StandardCharsets.UTF_8), revision, Instant.EPOCH, 0, Operation.PUT);
    }

    private static Entry marker(String key, long revision) {
        return new Entry("CFG", key, new byte[0], revision, Instant.EPOCH, 0, Operation.DEL);
    }

    /** changed, dirty, then what would be stored. */
    private static String outcome(WatchView view) {
        return view.takeChanged() + " " + view.takeDirty() + " " + (view.holdsValue() ? view.value() : "<none>");
    }

    @Test
    void aSingleKeySeededFromDataChangesOnlyWhenItsValueDoes() {
        WatchView view = WatchView.single("k", Optional.of("a"), RAW, settings(false, false));
        view.sync(List.of(put("k", "a", 4)));
        assertThat(outcome(view)).isEqualTo("false false a");
        view.apply(put("k", "a", 5));
        assertThat(outcome(view)).isEqualTo("false false a");
        view.apply(put("k", "b", 6));
        assertThat(outcome(view)).isEqualTo("true true b");
        view.apply(marker("k", 7));
        assertThat(outcome(view)).isEqualTo("true true <none>");
        view.apply(marker("k", 8));
        assertThat(outcome(view)).isEqualTo("false false <none>");
    }

    @Test
    void aKeyDeletedWhileNobodyWatchedIsAChangeAtTheNextSync() {
        WatchView view = WatchView.single("k", Optional.of("a"), RAW, settings(false, false));
        view.sync(List.of(marker("k", 9)));
        assertThat(outcome(view)).isEqualTo("true true <none>");
        WatchView empty = WatchView.single("k", Optional.of("a"), RAW, settings(false, false));
        empty.sync(List.of());
        assertThat(outcome(empty)).isEqualTo("true true <none>");
    }

    @Test
    void onMatchingUpdateNeedsARevisionSeenBefore() {
        WatchView view = WatchView.single("k", Optional.of("a"), RAW, settings(false, true));
        view.sync(List.of(put("k", "a", 4)));
        assertThat(outcome(view)).as("revision unknown before").isEqualTo("false false a");
        view.apply(put("k", "a", 5));
        assertThat(outcome(view)).isEqualTo("true false a");
    }

    @Test
    void onSuccessfulGetCountsEveryValueRead() {
        WatchView view = WatchView.single("k", Optional.of("a"), RAW, settings(true, false));
        view.sync(List.of(put("k", "a", 4)));
        assertThat(outcome(view)).isEqualTo("true false a");
        view.sync(List.of());
        assertThat(outcome(view)).as("gone").isEqualTo("true true <none>");
        view.sync(List.of());
        assertThat(outcome(view)).as("nothing read").isEqualTo("false false <none>");
    }

    @Test
    void aMapSyncsAddsAndRemovesKeys() {
        WatchView view = WatchView.map(Optional.of(Map.of("u.a", "1", "u.gone", "x")), RAW, settings(false, false));
        view.sync(List.of(put("u.a", "1", 3), put("u.b", "2", 4), marker("u.c", 5)));
        assertThat(outcome(view)).isEqualTo("true true {u.a=1, u.b=2}");
        view.apply(put("u.b", "2", 6));
        assertThat(outcome(view)).isEqualTo("false false {u.a=1, u.b=2}");
        view.apply(marker("u.a", 7));
        assertThat(outcome(view)).isEqualTo("true true {u.b=2}");
        view.apply(marker("u.zzz", 8));
        assertThat(outcome(view)).isEqualTo("false false {u.b=2}");
    }

    @Test
    void aMapWithNothingStoredAndNothingFoundIsNoChange() {
        WatchView view = WatchView.map(Optional.empty(), RAW, settings(false, false));
        view.sync(List.of());
        assertThat(outcome(view)).isEqualTo("false false {}");
        WatchView notAMap = WatchView.map(Optional.of("text"), RAW, settings(false, false));
        notAMap.sync(List.of(put("a", "1", 1)));
        assertThat(outcome(notAMap)).isEqualTo("true true {a=1}");
    }
}
