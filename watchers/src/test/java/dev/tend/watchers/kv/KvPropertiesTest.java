package dev.tend.watchers.kv;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.load.MachineSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The kv watcher's properties through the real loader: each bad one with its exact line and message. */
@ResourceLock(value = "dev.tend.machine.m.w", mode = ResourceAccessMode.READ)
class KvPropertiesTest {

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

    private java.util.List<String> problems(String interval, String properties) {
        return bed.problems(KvBed.yaml(interval, properties));
    }

    private MachineDefinition loads(String interval, String properties) throws MachineLoadException {
        return bed.load(KvBed.yaml(interval, properties));
    }

    @Test
    void validDefinitionsLoadWithTheReferencesDefaults() throws MachineLoadException {
        var poll = loads("10s", "{bucket: CFG, key: username}").watchers().get(0);
        assertThat(poll.properties().asMap()).containsEntry("mode", "poll").containsEntry("bucket_prefix", true)
                .containsEntry("on_successful_get", false).containsEntry("on_matching_update", false);
        assertThat(poll.interval()).isEqualTo(Duration.ofSeconds(10));
        loads("", "{bucket: CFG, mode: watch}");
        loads("1m", "{bucket: CFG, key: 'users.>', mode: watch, store_key: users, query: spec.replicas}");
        loads("", "{Bucket: CFG, KEY: '{{ lookup \"data.k\" \"x\" }}', mode: watch, hiera_config: false}");
    }

    @Test
    void pollModeNeedsAnIntervalOfAtLeast100ms() {
        assertThat(problems("", "{bucket: CFG, key: username}")).containsExactly(
                "14: watcher \"w\": interval is required in poll mode, e.g. interval: 10s (mode: watch needs none)");
        assertThat(problems("10ms", "{bucket: CFG, key: username}")).containsExactly(
                "14: watcher \"w\": interval must be at least 100ms in poll mode, not 10ms");
    }

    @Test
    void watchModesResyncIntervalIsAtLeastASecond() {
        assertThat(problems("500ms", "{bucket: CFG, mode: watch}")).containsExactly(
                "14: watcher \"w\": interval (the period of a full resync in watch mode) must be at least 1s, not 500ms");
    }

    @Test
    void pollModeNeedsAPlainKey() {
        assertThat(problems("10s", "{bucket: CFG}")).containsExactly("14: watcher \"w\" property \"key\": is required"
                + " in poll mode (in watch mode, leave it out to watch the whole bucket)");
        assertThat(problems("10s", "{bucket: CFG, key: 'users.*'}")).containsExactly(
                "20: watcher \"w\" property \"key\": \"users.*\" is a filter; filters need mode: watch");
        assertThat(problems("10s", "{bucket: CFG, key: 'a b'}")).containsExactly(
                "20: watcher \"w\" property \"key\": invalid key \"a b\": use only A-Z, a-z, 0-9 and - / _ = . with no"
                        + " leading, trailing or double '.'");
    }

    @Test
    void watchModeChecksTheFilter() { // no interval line: the properties are on line 19
        assertThat(problems("", "{bucket: CFG, key: 'a.>.b', mode: watch}")).containsExactly(
                "19: watcher \"w\" property \"key\": invalid filter \"a.>.b\": '>' may only be the last token");
    }

    @Test
    void theBucketIsRequiredAndMustBeAValidName() {
        assertThat(problems("10s", "{key: k}")).containsExactly("14: watcher \"w\": property \"bucket\" is required");
        assertThat(problems("10s", "{bucket: 'my bucket', key: k}")).containsExactly(
                "20: watcher \"w\" property \"bucket\": invalid bucket name \"my bucket\": use only A-Z, a-z, 0-9, '-'"
                        + " and '_'");
    }

    @Test
    void templatesAndQueriesAreCheckedAtLoad() {
        assertThat(problems("10s", "{bucket: CFG, key: '{{ lookup \"data.k\" }', store_key: '{{ nope }}'}"))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p).startsWith("20: watcher \"w\" property "));
        assertThat(problems("10s", "{bucket: CFG, key: k, query: 'spec.#(a==1)'}")).containsExactly(
                "20: watcher \"w\" property \"query\": gjson queries (#(...)) are not supported in \"spec.#(a==1)\"");
    }

    @Test
    void referenceFeaturesTendLacksAreRefusedAsNotSupported() {
        assertThat(problems("10s", "{bucket: CFG, key: k, hiera_config: true, republish_trigger: choria.republish.x}"))
                .as("hiera_config is supported")
                .containsExactly("20: watcher \"w\" property \"republish_trigger\": not supported by Tend: use mode: watch, which"
                                + " reacts to every change of the key at once");
    }

    @Test
    void unknownModesAndPropertiesAreReportedWithSuggestions() throws MachineLoadException {
        assertThat(problems("10s", "{bucket: CFG, key: k, mode: wach, buckt_prefix: false}")).containsExactly(
                "20: watcher \"w\" property \"mode\": must be one of poll, watch, not \"wach\" (did you mean \"watch\"?)");
        assertThat(loads("10s", "{bucket: CFG, key: k, buckt_prefix: false}").warnings())
                .extracting(dev.tend.machine.Problem::message)
                .containsExactly("unknown property \"buckt_prefix\" (did you mean \"bucket_prefix\"?)");
    }

    @Test
    void theSchemaDescribesEveryProperty() {
        String schema = MachineSchema.of(bed.registry).toString();
        for (String property : new String[] {"bucket", "key", "mode", "bucket_prefix", "store_key", "query",
                "on_successful_get", "on_matching_update", "hiera_config", "republish_trigger"}) {
            assertThat(schema).contains("\"" + property + "\"");
        }
    }
}
