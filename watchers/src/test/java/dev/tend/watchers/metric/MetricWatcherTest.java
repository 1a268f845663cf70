package dev.tend.watchers.metric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metric watcher with real commands: both output formats, the labels, the state event, the machine data, what a
 * failure does, when runs happen, and a command that hangs. The commands are the reference's own test scripts' outputs.
 */
class MetricWatcherTest {

    /** The reference's testdata/metric.sh output. */
    private static final String CHORIA = "{\"labels\": {\"unique\": \"u\", \"dupe\": \"d\"},"
            + " \"metrics\": {\"v1\": 1.0, \"v2\": 1.1}}";
    /** The reference's testdata/nagios.sh output. */
    private static final String NAGIOS = "OK: last run 3 minutes ago with 0 failed resources 0 failed events and"
            + " currently enabled|time_since_last_run=237s;1;1;0 failed_resources=0;;;0 failed_events=0;;;0"
            + " last_run_duration=59.67;;;0";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void choriasFormatGetsFormatChoriaAndThePropertyLabelsOverTheOutputs() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "json")) {
            m.printing("metric.sh", CHORIA);
            m.start("properties: {command: ./metric.sh, labels: {dupe: w}}");
            Map<String, Object> result = m.awaitResult(1);
            assertThat(result).containsEntry("labels", Map.of("format", "choria", "unique", "u", "dupe", "w"))
                    .containsEntry("metrics", Map.of("v1", 1.0, "v2", 1.1, "choria_runtime_seconds", 0.0))
                    .containsEntry("time", m.manual.now().getEpochSecond());
            assertThat(m.states().get(0).type()).isEqualTo("dev.tend.machine.watcher.metric.v1.state");
            assertThat(m.states().get(0).watcherName()).isEqualTo("gather");
            assertThat(m.machine().state()).isEqualTo("RUN");
            assertThat(m.data().has("metric")).as("no store: no data").isFalse();
        }
    }

    @Test
    void nagiosPerformanceDataAreTheMetricsWithFormatNagios() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "perf")) {
            m.printing("nagios.sh", NAGIOS);
            m.start("properties: {command: ./nagios.sh, labels: {dupe: w}}");
            Map<String, Object> result = m.awaitResult(1);
            assertThat(result).containsEntry("labels", Map.of("format", "nagios", "dupe", "w"))
                    .containsEntry("metrics", Map.of("time_since_last_run", 237.0, "failed_resources", 0.0,
                            "failed_events", 0.0, "last_run_duration", 59.67, "choria_runtime_seconds", 0.0));
        }
    }

    @Test
    void outputWithoutPerformanceDataHasNoMetricsAndIsNoFailure() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "plain")) {
            m.printing("plain.sh", "OK: nothing to measure");
            m.start("properties: {command: ./plain.sh}");
            assertThat(m.awaitResult(1)).containsEntry("labels", Map.of("format", "nagios"))
                    .containsEntry("metrics", Map.of("choria_runtime_seconds", 0.0));
            assertThat(m.machine().state()).isEqualTo("RUN");
        }
    }

    @Test
    void storeKeepsTheResultInTheMachineDataKeyMetricAsTheReferenceShapesIt() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "stored")) {
            m.printing("metric.sh", CHORIA);
            m.start("properties: {command: ./metric.sh, store: true}");
            m.awaitResult(1);
            long time = m.manual.now().getEpochSecond();
            m.await("the data stored", () -> {
                try {
                    return m.data().has("metric");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(m.data()).isEqualTo(JSON.readTree("{\"metric\": {\"gather\": {"
                    + "\"labels\": {\"dupe\": \"d\", \"format\": \"choria\", \"unique\": \"u\"},"
                    + " \"metrics\": {\"v1\": 1, \"v2\": 1.1}, \"time\": " + time + "}}}"));
        }
    }

    @Test
    void twoStoringWatchersOfAMachineReplaceEachOthersKeyAsInTheReference() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "two")) {
            m.printing("a.sh", "{\"metrics\": {\"a\": 1}}");
            m.printing("b.sh", "{\"metrics\": {\"b\": 2}}");
            m.startYaml(MetricMachine.yamlWith("two", List.of(
                    List.of("properties: {command: ./a.sh, store: true}"),
                    List.of("properties: {command: ./b.sh, store: true}")), List.of("first", "second")));
            m.await("both results", () -> m.states().size() >= 2);
            JsonNode metric = m.data().get("metric");
            assertThat(metric.size()).as("one watcher's result: " + metric).isEqualTo(1);
            assertThat(metric.fieldNames().next()).isIn("first", "second");
        }
    }

    @Test
    void templatesReadTheStoredResult() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "reader")) {
            m.printing("a.sh", "{\"metrics\": {\"a\": 5, \"b\": 0.25}}");
            m.script("seen.sh", "#!/bin/sh\necho \"{\\\"labels\\\": {\\\"seen\\\": \\\"$1 $2\\\"}}\"\n");
            m.startYaml(MetricMachine.yamlWith("reader", List.of(
                    List.of("properties: {command: ./a.sh, store: true, interval: 1h}"),
                    List.of("properties:", "  interval: 1h", "  command: ./seen.sh"
                            + " '{{ lookup \"data.metric.first.metrics.a\" \"none\" }}'"
                            + " '{{ lookup \"data.metric.first.metrics.b\" \"none\" }}'")),
                    List.of("first", "second")));
            m.await("both results", () -> m.states().size() >= 2);
            m.await("the data stored", () -> {
                try {
                    return m.data().has("metric");
                } catch (Exception e) {
                    return false;
                }
            });
            runAgain(m);
            m.await("the second reads the first's result", () -> m.states().stream()
                    .anyMatch(e -> e.watcherName().equals("second")
                            && e.fields().toString().contains("seen=5 0.25")));
        }
    }

    @Test
    void unreadableJsonPublishesTheLastResultAndFiresTheFailTransition() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "bad")) {
            Path output = m.dir.resolve("output.txt");
            Files.writeString(output, "{\"metrics\": {\"load\": 0.5}}");
            m.script("metric.sh", "#!/bin/sh\ncat output.txt\n");
            m.start("properties: {command: ./metric.sh, store: true}");
            m.awaitResult(1);
            Files.writeString(output, "{\"metrics\": {\"load\": \"high\"}}");
            m.manual.advance(Duration.ofSeconds(1));
            m.awaitState("FAILED");
            Map<String, Object> failed = m.awaitResult(2);
            assertThat(failed).as("the last good result").containsEntry("metrics",
                    Map.of("load", 0.5, "choria_runtime_seconds", 0.0));
            assertThat(m.data().at("/metric/gather/metrics/load").asDouble()).isEqualTo(0.5);

            Files.writeString(output, "{\"metrics\": {\"load\": 0.7}} trailing");
            m.machine().transition("recover");
            m.awaitState("FAILED"); // the state change ran it at once: still unreadable
            assertThat(m.states()).hasSize(3);
        }
    }

    @Test
    void aFailingCommandIsOnlyLoggedNoEventNoTransitionNoData() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "fails")) {
            // The first run fails after printing metrics; the second succeeds: its result is the first event.
            m.script("metric.sh", "#!/bin/sh\nif [ -e ran ]; then echo '{\"metrics\": {\"good\": 1}}'; exit 0; fi\n"
                    + "touch ran\necho '{\"metrics\": {\"bad\": 1}}'\nexit 2\n");
            m.start("properties: {command: ./metric.sh, store: true, interval: 1h}");
            m.awaitFile(m.dir.resolve("ran"));
            runAgain(m);
            assertThat(m.awaitResult(1)).containsEntry("metrics", Map.of("good", 1.0, "choria_runtime_seconds", 0.0));
            assertThat(m.states()).hasSize(1);
            assertThat(m.machine().state()).isEqualTo("RUN");
            // The file holds numbers as Choria writes them: 1, not 1.0.
            assertThat(m.data().at("/metric/gather/metrics").toString()).isEqualTo("{\"good\":1}");
        }
    }

    @Test
    void aCommandThatCannotBeFoundIsOnlyLogged() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "missing")) {
            m.start("properties: {command: ./later.sh, interval: 1h}");
            m.printing("later.sh", "{\"metrics\": {\"found\": 1}}");
            runAgain(m);
            assertThat(m.awaitResult(1)).containsEntry("metrics", Map.of("found", 1.0, "choria_runtime_seconds", 0.0));
            assertThat(m.machine().state()).isEqualTo("RUN");
        }
    }

    @Test
    void aCommandThatHangsIsKilledWithItsProcessesAfterItsTimeoutAndTheNextTickRunsAgain() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "hang")) {
            m.script("hang.sh", "#!/bin/sh\nif [ -e hung ]; then echo '{\"metrics\": {\"ok\": 1}}'; exit 0; fi\n"
                    + "touch hung\nsleep 1000 &\necho $! > grandchild.pid\necho $$ > child.pid\nwait\n");
            m.start("properties: {command: ./hang.sh, timeout: 3s, interval: 10s}");
            m.awaitFile(m.dir.resolve("grandchild.pid"));
            m.await("both pids written", () -> pid(m.dir.resolve("child.pid")) > 0
                    && pid(m.dir.resolve("grandchild.pid")) > 0);
            long child = pid(m.dir.resolve("child.pid"));
            long grandchild = pid(m.dir.resolve("grandchild.pid"));
            m.await("the timeout set", () -> m.manual.pendingDelays().contains(Duration.ofSeconds(3)));
            m.manual.advance(Duration.ofSeconds(3));
            m.await("the command and its child are gone", () -> !alive(child) && !alive(grandchild));
            assertThat(m.states()).as("a timeout is only logged").isEmpty();

            runAgain(m);
            assertThat(m.awaitResult(1)).containsEntry("metrics", Map.of("ok", 1.0, "choria_runtime_seconds", 0.0));
        }
    }

    @Test
    void itRunsEveryIntervalAndOnStateChangesWhileActiveOnly() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "ticks")) {
            m.script("count.sh", "#!/bin/sh\necho x >> runs.txt\necho '{\"metrics\": {\"n\": 1}}'\n");
            m.start("properties: {command: ./count.sh, interval: 30s}");
            m.awaitResult(1);
            m.manual.advance(Duration.ofSeconds(29));
            m.manual.runDue();
            assertThat(m.states()).hasSize(1);
            m.manual.advance(Duration.ofSeconds(1));
            m.awaitResult(2);

            m.machine().transition("pause"); // inactive: the state change and the ticks run nothing
            m.manual.advance(Duration.ofSeconds(90));
            m.manual.runDue();
            assertThat(m.states()).hasSize(2);

            m.machine().transition("resume"); // active again: runs at once
            m.awaitResult(3);
            assertThat(Files.readAllLines(m.dir.resolve("runs.txt"))).hasSize(3);
        }
    }

    @Test
    void theFirstRunWaitsARandomDelayBelowTheInterval() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "splay")) {
            m.settings(MetricSettings.defaults().withRandom(bound -> {
                assertThat(bound).isEqualTo(60_000L);
                return 20_000L;
            }));
            m.printing("metric.sh", "{\"metrics\": {\"a\": 1}}");
            m.start("properties: {command: ./metric.sh, interval: 1m}");
            m.manual.advance(Duration.ofSeconds(19));
            m.manual.runDue();
            assertThat(m.states()).isEmpty();
            m.manual.advance(Duration.ofSeconds(1));
            m.awaitResult(1);
        }
    }

    @Test
    void theCommandIsATemplateAndGetsOnlyTheThreeVariables() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "env")) {
            m.script("env.sh", "#!/bin/sh\nenv | sort > env.txt\necho \"{\\\"labels\\\": {\\\"host\\\": \\\"$1\\\"}}\"\n");
            m.start("properties: {command: './env.sh {{ lookup \"facts.fqdn\" \"none\" }}'}");
            Map<String, Object> result = m.awaitResult(1);
            assertThat(result).containsEntry("labels", Map.of("format", "choria", "host", "node1.example.net"));
            List<String> env = Files.readAllLines(m.dir.resolve("env.txt"));
            assertThat(env).contains("MACHINE_NAME=env", "MACHINE_WATCHER_NAME=gather")
                    .anySatisfy(l -> assertThat(l).startsWith("PATH=").endsWith(":" + m.dir));
            assertThat(env).allSatisfy(l -> assertThat(l).matches("(MACHINE_NAME|MACHINE_WATCHER_NAME|PATH|PWD|SHLVL|_)=.*"));
        }
    }

    @Test
    void theStateBeforeTheFirstRunIsEmptyWithTimeZero() throws Exception {
        try (MetricMachine m = new MetricMachine(root, "before")) {
            m.settings(MetricSettings.defaults().withRandom(bound -> bound - 1));
            m.printing("metric.sh", "{}");
            m.start("properties: {command: ./metric.sh, interval: 1h}");
            assertThat(m.machine().status().watchers()).singleElement().satisfies(w ->
                    assertThat(w.state()).containsEntry("metrics", Map.of("labels", Map.of(),
                            "metrics", Map.of("choria_runtime_seconds", 0.0), "time", 0L)));
        }
    }

    /**
     * Makes the watcher run once more after the run going on, if any: a state change runs it at once, or, during a run,
     * once more after it (the machine leaves RUN and comes back; the watcher is active in RUN only).
     */
    private static void runAgain(MetricMachine m) throws Exception {
        m.machine().transition("pause");
        m.machine().transition("resume");
    }

    private static long pid(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? -1 : Long.parseLong(text);
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
