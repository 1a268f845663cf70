package dev.tend.watchers.kv;

import ch.qos.logback.classic.Level;
import dev.tend.kv.Bucket;
import dev.tend.kv.StoreException;
import dev.tend.machine.Machine;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mode: poll} on a real machine and a real embedded store, time driven by hand. */
@ResourceLock(value = "dev.tend.machine.m.w", mode = ResourceAccessMode.READ_WRITE)
class KvPollTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private KvBed bed;

    @BeforeEach
    void open() {
        bed = new KvBed(dir);
    }

    @AfterEach
    void close() {
        bed.close();
    }

    private Machine poll(String properties) {
        return bed.start("10s", properties);
    }

    @Test
    void readsAtStartAndEveryIntervalAndFiresSuccessOnEachChange() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        Machine m = poll("{bucket: CFG, key: username}");
        assertThat(bed.transitions()).containsExactly("changed:b");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "alice"));

        cfg.put("username", "bob");
        bed.advance(Duration.ofSeconds(9));
        assertThat(bed.transitions()).as("not polled yet").hasSize(1);
        bed.advance(Duration.ofSeconds(1));
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:a");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "bob"));
        assertThat(bed.watcherState(m)).isEqualTo(Map.of("state", "changed", "bucket", "CFG", "key", "username",
                "mode", "poll"));
    }

    @Test
    void anUnchangedValueFiresNothing() {
        bed.bucket("CFG").put("username", "alice");
        Machine m = poll("{bucket: CFG, key: username}");
        bed.advance(TEN_SECONDS.multipliedBy(5));
        assertThat(bed.transitions()).containsExactly("changed:b");
        assertThat(bed.watcherState(m)).containsEntry("state", "unchanged");
    }

    @Test
    void aMissingKeyWithNothingStoredIsNoChange() {
        bed.bucket("CFG");
        Machine m = poll("{bucket: CFG, key: username}");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).isEmpty();
        assertThat(bed.watcherState(m)).containsEntry("state", "unchanged");
        assertThat(bed.data()).isEmpty();
    }

    @Test
    void afterARestartAValueEqualToThePersistedDataIsNoChange() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("config", "{\"replicas\": 3}");
        poll("{bucket: CFG, key: config}");
        assertThat(bed.transitions()).containsExactly("changed:b");
        bed.stopMachines();

        Machine again = poll("{bucket: CFG, key: config}");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).as("no second success").containsExactly("changed:b");
        assertThat(bed.watcherState(again)).containsEntry("state", "unchanged");

        cfg.put("config", "{\"replicas\": 4}");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:b");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_config", Map.of("replicas", 4)));
    }

    @Test
    void aDeletedKeyRemovesTheDataAndIsAChange() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        poll("{bucket: CFG, key: username}");
        cfg.delete("username");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:a");
        assertThat(bed.data()).isEmpty();

        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).as("gone stays gone: no change").hasSize(2);
    }

    @Test
    void aPurgedKeyIsADeleteToo() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        poll("{bucket: CFG, key: username}");
        cfg.purge("username");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:a");
        assertThat(bed.data()).isEmpty();
    }

    @Test
    void valuesAreParsedAsTheReferenceDoes() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("object", "\n  {\"a\": 1, \"b\": [true, null]}  \n");
        cfg.put("list", " [1, \"two\"]\n");
        cfg.put("text", "  spaced text \n");
        cfg.put("number", "1");
        cfg.put("broken", "{not json}");
        for (String key : List.of("object", "list", "text", "number", "broken")) {
            bed.start("10s", "{bucket: CFG, key: " + key + "}");
            bed.stopMachines();
        }
        Map<String, Object> data = bed.data();
        assertThat(data.get("CFG_object")).isEqualTo(Map.of("a", 1, "b", java.util.Arrays.asList(true, null)));
        assertThat(data.get("CFG_list")).isEqualTo(List.of(1, "two"));
        assertThat(data.get("CFG_text")).as("untrimmed").isEqualTo("  spaced text \n");
        assertThat(data.get("CFG_number")).as("a string, as in the reference").isEqualTo("1");
        assertThat(data.get("CFG_broken")).as("the reference stores an empty object").isEqualTo(Map.of());
    }

    @Test
    void aReformattedButEqualJsonValueIsNoChange() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("config", "{\"a\": 1, \"b\": 2.0}");
        poll("{bucket: CFG, key: config}");
        cfg.put("config", "{ \"b\": 2,\n \"a\": 1 }");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).containsExactly("changed:b");
    }

    @Test
    void queryStoresThePartOfAnObjectAndFallsBackToTheTextWhenItFindsNothing() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("spec", "{\"spec\": {\"replicas\": 3, \"tags\": [\"x\", \"y\"]}}");
        poll("{bucket: CFG, key: spec, query: spec.replicas}");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_spec", 3));

        cfg.put("spec", "{\"other\": 1}");
        bed.advance(TEN_SECONDS);
        assertThat(bed.data()).isEqualTo(Map.of("CFG_spec", "{\"other\": 1}"));
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:a");
    }

    @Test
    void onSuccessfulGetFiresOnEveryReadEvenUnchanged() {
        bed.bucket("CFG").put("username", "alice");
        poll("{bucket: CFG, key: username, on_successful_get: true}");
        bed.advance(TEN_SECONDS.multipliedBy(2));
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:a", "changed:b");
    }

    @Test
    void onMatchingUpdateFiresWhenAnEqualValueIsWrittenAgain() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        poll("{bucket: CFG, key: username, on_matching_update: true}");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).as("same revision: nothing").hasSize(1);
        cfg.put("username", "alice");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).containsExactly("changed:b", "changed:a");
    }

    @Test
    void withoutOnMatchingUpdateARewriteOfTheSameValueIsNoChange() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        poll("{bucket: CFG, key: username}");
        cfg.put("username", "alice");
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).hasSize(1);
    }

    @Test
    void aMissingBucketFailsEachPollLogsOnceAndWorksWhenCreated() {
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            poll("{bucket: CFG, key: username}");
            bed.advance(TEN_SECONDS.multipliedBy(2));
            assertThat(bed.transitions()).containsExactly("failed:broken", "failed:broken2", "failed:broken");
            assertThat(log.lines(Level.WARN)).containsExactly(
                    "bucket CFG does not exist (yet) (retrying; logged once until it works or fails differently)");

            bed.bucket("CFG").put("username", "alice");
            bed.advance(TEN_SECONDS);
            assertThat(bed.transitions()).endsWith("changed:a");
            assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "alice"));
            assertThat(log.lines(Level.INFO)).containsExactly("reading CFG > username works again");
        }
    }

    @Test
    void aMissingBucketIsLookedForBetweenPollsSoonThenLessOftenFiringNothingMore() {
        try (LogCapture log = LogCapture.of("dev.tend.machine.m.w")) {
            poll("{bucket: CFG, key: username}");
            assertThat(bed.transitions()).containsExactly("failed:broken");
            assertThat(bed.scheduler.pendingDelays()).as("the next look, then the next poll")
                    .containsExactly(Duration.ofMillis(100), TEN_SECONDS);
            bed.advance(Duration.ofMillis(100 + 200 + 400 + 800 + 1600)); // five looks: still missing
            assertThat(bed.scheduler.pendingDelays()).as("capped at 2 s").first().isEqualTo(Duration.ofSeconds(2));
            assertThat(bed.transitions()).as("the looks fire nothing").containsExactly("failed:broken");

            bed.bucket("CFG").put("username", "alice");
            bed.advance(Duration.ofSeconds(2));
            assertThat(bed.transitions()).containsExactly("failed:broken", "changed:a");
            assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "alice"));
            assertThat(bed.scheduler.pendingDelays()).as("no more looks").hasSize(1);
            assertThat(log.lines(Level.WARN)).as("once while missing").containsExactly(
                    "bucket CFG does not exist (yet) (retrying; logged once until it works or fails differently)");
        }
    }

    @Test
    void aMissingBucketIsLookedForNoMoreOftenThanTheInterval() {
        bed.start("150ms", "{bucket: CFG, key: username}");
        assertThat(bed.scheduler.pendingDelays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150));
        bed.advance(Duration.ofMillis(100)); // a look: still missing; the next (200 ms) would come after the poll
        assertThat(bed.scheduler.pendingDelays()).containsExactly(Duration.ofMillis(50));
    }

    @Test
    void anUnavailableStoreIsAFailureOfThatPollNotOfTheMachine() {
        AtomicBoolean up = new AtomicBoolean(false);
        bed.storeForMachines = () -> {
            if (!up.get()) {
                throw new StoreException("store directory /nowhere is not mounted");
            }
            return bed.store;
        };
        bed.bucket("CFG").put("username", "alice");
        Machine m = poll("{bucket: CFG, key: username}");
        assertThat(bed.transitions()).containsExactly("failed:broken");
        assertThat(bed.watcherState(m)).containsEntry("state", "error");

        up.set(true);
        bed.advance(TEN_SECONDS);
        assertThat(bed.transitions()).containsExactly("failed:broken", "changed:a");
    }

    @Test
    void theKeyAndStoreKeyAreTemplatesRenderedAtEachPoll() {
        bed.writeData("{\"which\": \"first\"}");
        Bucket cfg = bed.bucket("CFG");
        cfg.put("first", "1");
        cfg.put("second", "2");
        poll("{bucket: CFG, key: '{{ lookup \"data.which\" \"none\" }}', store_key: 'value_{{ lookup \"data.which\" \"\" }}',"
                + " bucket_prefix: false}");
        assertThat(bed.data()).containsEntry("value_first", "1");

        bed.stopMachines();
        bed.writeData("{\"which\": \"second\"}");
        poll("{bucket: CFG, key: '{{ lookup \"data.which\" \"none\" }}', store_key: 'value_{{ lookup \"data.which\" \"\" }}',"
                + " bucket_prefix: false}");
        assertThat(bed.data()).containsEntry("value_second", "2");
    }

    @Test
    void aKeyThatRendersInvalidIsAFailure() {
        bed.bucket("CFG");
        Machine m = poll("{bucket: CFG, key: '{{ lookup \"data.missing\" \"a b\" }}'}");
        assertThat(bed.transitions()).containsExactly("failed:broken");
        assertThat(bed.watcherState(m)).containsEntry("state", "error");
    }

    @Test
    void aStateChangePollsAtOnceUnlessItPolledLessThanAnIntervalAgo() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        Machine m = poll("{bucket: CFG, key: username}");
        cfg.put("username", "bob");
        bed.advance(Duration.ofSeconds(3));
        bed.transition(m, "nudge"); // b -> a, 3 s after the last poll: not polled
        assertThat(bed.transitions()).containsExactly("changed:b", "nudge:a");

        bed.advance(Duration.ofSeconds(7)); // the tick at 10 s polls
        assertThat(bed.transitions()).containsExactly("changed:b", "nudge:a", "changed:b");

        cfg.put("username", "carol");
        bed.advance(Duration.ofSeconds(9)); // 9 s after, before the next tick
        bed.advance(Duration.ofSeconds(1).minusMillis(1));
        assertThat(bed.count("changed")).isEqualTo(2);
    }

    @Test
    void aPokeAfterAnIntervalWithoutPollingPolls() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        Machine m = bed.start("1h", "{bucket: CFG, key: username}");
        cfg.put("username", "bob");
        bed.advance(Duration.ofMinutes(59));
        bed.transition(m, "sleep");
        bed.advance(Duration.ofMinutes(2)); // the tick at 1 h finds the watcher inactive
        assertThat(bed.watcherState(m)).containsEntry("state", "skipped");
        bed.transition(m, "wake");
        assertThat(bed.transitions()).containsExactly("changed:b", "sleep:off", "wake:a", "changed:b");
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "bob"));
    }

    @Test
    void inactiveItDoesNotReadOrStore() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        Machine m = poll("{bucket: CFG, key: username}");
        bed.transition(m, "sleep");
        cfg.put("username", "bob");
        bed.advance(TEN_SECONDS.multipliedBy(3));
        assertThat(bed.data()).isEqualTo(Map.of("CFG_username", "alice"));
        assertThat(bed.watcherState(m)).containsEntry("state", "skipped");
    }

    @Test
    void itPublishesItsStateOnlyThroughAnnouncements() {
        Bucket cfg = bed.bucket("CFG");
        cfg.put("username", "alice");
        bed.startYaml(KvBed.yaml("10s", "{bucket: CFG, key: username}")
                .replace("    interval: 10s\n", "    interval: 10s\n    announce_interval: 1m\n"));
        cfg.put("username", "bob");
        bed.advance(Duration.ofSeconds(59));
        assertThat(bed.transitions()).hasSize(2);
        assertThat(bed.events.watcherStates()).as("no state events of its own").isEmpty();

        bed.advance(Duration.ofSeconds(1));
        assertThat(bed.events.watcherStates()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("dev.tend.machine.watcher.kv.v1.state");
            assertThat(e.fields()).isEqualTo(Map.of("state", "unchanged", "bucket", "CFG", "key", "username",
                    "mode", "poll"));
        });
    }
}
