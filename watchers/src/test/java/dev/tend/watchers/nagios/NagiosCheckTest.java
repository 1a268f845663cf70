package dev.tend.watchers.nagios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.tend.watchers.nagios.ScoutMachine.PLUGINS;
import static org.assertj.core.api.Assertions.assertThat;

/** Checks with real plugins (Debian's monitoring-plugins-basic): statuses, transitions, events, history. */
class NagiosCheckTest {

    @TempDir
    Path root;

    @ParameterizedTest
    @CsvSource({"0, OK, 0", "1, WARNING, 1", "2, CRITICAL, 2", "3, UNKNOWN, 3"})
    void theExitStatusFiresTheTransitionNamedAfterIt(int exit, String status, int code) throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "dummy")) {
            m.start("interval: 1m", "properties: {plugin: '" + PLUGINS + "/check_dummy " + exit + " \"all fine\"'}");
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState(status);
            assertThat(event).containsEntry("status", status).containsEntry("status_code", code)
                    .containsEntry("plugin", PLUGINS + "/check_dummy " + exit + " \"all fine\"");
            assertThat((String) event.get("output")).endsWith(": all fine");
        }
    }

    /**
     * Scout's node-specific thresholds: {@code o "path" default} in the plugin reads the machine's own entry of the
     * agent's overrides file (the mailq example of Choria's Scout documentation, on check_dummy).
     */
    @Test
    void thePluginReadsTheMachinesOverrides() throws Exception {
        Path overrides = Files.writeString(root.resolve("overrides.json"),
                "{\"mailq\": {\"warn\": 15}, \"other\": {\"crit\": 99}}");
        String plugin = "properties: {plugin: '" + PLUGINS + "/check_dummy {{ o \"code\" 1 }} \"-w {{ o \"warn\" 5 }}"
                + " -c {{ o \"crit\" 10 }}\"'}";
        try (ScoutMachine m = new ScoutMachine(root, "mailq").overrides(overrides)) {
            m.start("interval: 1m", plugin);
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("WARNING");
            assertThat(event).containsEntry("plugin", PLUGINS + "/check_dummy 1 \"-w 15 -c 10\"")
                    .containsEntry("output", "WARNING: -w 15 -c 10");
        }
    }

    @Test
    void withoutAnOverridesFileOGivesTheDefaults() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "mailq")) {
            m.start("interval: 1m", "properties: {plugin: '" + PLUGINS + "/check_dummy {{ o \"code\" 2 }} \"-w {{ o"
                    + " \"warn\" 5 }}\"'}");
            assertThat(m.awaitCheck(1)).containsEntry("output", "CRITICAL: -w 5");
        }
    }

    @Test
    void anyOtherExitStatusIsUnknown() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "other")) {
            m.script("seven.sh", "#!/bin/sh\necho 'SEVEN: odd'\nexit 7\n");
            m.start("interval: 1m", "properties: {plugin: ./seven.sh}");
            m.machine().transition("OK"); // so that UNKNOWN is a real transition
            Map<String, Object> event = m.awaitCheck(1);
            assertThat(event).containsEntry("status", "UNKNOWN").containsEntry("status_code", 3)
                    .containsEntry("output", "SEVEN: odd");
        }
    }

    @Test
    void theEventCarriesOutputPerformanceDataTimesAndAnnotations() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "disk")) {
            m.start("interval: 1m", "properties:",
                    "  plugin: " + PLUGINS + "/check_disk -w 1% -c 1% -p /",
                    "  annotations: {team: ops, runbook: 'https://example.com/disk'}");
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("OK");
            assertThat(event).containsEntry("status", "OK").containsEntry("status_code", 0)
                    .containsEntry("check_time", m.manual.now().getEpochSecond())
                    .containsEntry("annotations", Map.of("team", "ops", "runbook", "https://example.com/disk"));
            assertThat((String) event.get("output")).startsWith("DISK OK");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> perf = (List<Map<String, Object>>) event.get("perfdata");
            assertThat(perf).singleElement().satisfies(p -> {
                assertThat(p).containsEntry("label", "/").containsEntry("unit", "B").containsKey("value");
                assertThat((Double) p.get("value")).isPositive();
            });
            assertThat(event.get("runtime")).isInstanceOf(Double.class);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> history = (List<Map<String, Object>>) event.get("history");
            assertThat(history).singleElement().satisfies(h -> {
                assertThat(h).containsEntry("execute", m.manual.now().toString()).containsEntry("status", 0);
                assertThat(h.get("perfdata")).isEqualTo(perf);
            });
        }
    }

    @Test
    void checkProcsThresholds() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "procs")) {
            m.start("interval: 1m", "properties: {plugin: '" + PLUGINS + "/check_procs -w 1:1 -c 1:1 -C tend-none'}");
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("CRITICAL");
            assertThat((String) event.get("output")).startsWith("PROCS CRITICAL: 0 processes");
            assertThat(event.get("perfdata")).isEqualTo(List.of(Map.of("label", "procs", "value", 0.0, "unit", "")));
        }
    }

    @Test
    void theHistoryKeepsTheLast15Checks() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "history")) {
            m.script("count.sh", "#!/bin/sh\nn=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n\n"
                    + "echo \"OK | n=$n\"\n");
            m.start("interval: 10s", "properties: {plugin: ./count.sh}");
            m.awaitCheck(1);
            for (int i = 2; i <= 17; i++) {
                m.manual.advance(Duration.ofSeconds(10));
                m.awaitCheck(i);
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> history = (List<Map<String, Object>>) m.states().get(16).fields().get("history");
            assertThat(history).hasSize(15);
            assertThat(history.get(0).get("perfdata")).isEqualTo(List.of(Map.of("label", "n", "value", 3.0,
                    "unit", "")));
            assertThat(history.get(14).get("perfdata")).isEqualTo(List.of(Map.of("label", "n", "value", 17.0,
                    "unit", "")));
        }
    }

    /**
     * The checks in the machine's data (key nagios, by watcher): the last check and the last 15, continued across a
     * restart, while the event's history starts again empty as the reference's does.
     */
    @Test
    void theChecksAreKeptInTheMachinesDataAcrossRestarts() throws Exception {
        String count = "#!/bin/sh\nn=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n\necho \"OK: run $n | n=$n\"\n";
        try (ScoutMachine m = new ScoutMachine(root, "kept")) {
            m.script("count.sh", count);
            m.start("interval: 10s", "properties: {plugin: ./count.sh}");
            m.awaitCheck(1);
            m.manual.advance(Duration.ofSeconds(10));
            m.awaitCheck(2);
        }
        try (ScoutMachine m = new ScoutMachine(root, "kept")) {
            m.start("interval: 10s", "properties: {plugin: ./count.sh}");
            Map<String, Object> event = m.awaitCheck(1);
            assertThat((List<?>) event.get("history")).hasSize(1);

            // Read from machine_data.json, where whole numbers are written as Choria writes them (3, not 3.0).
            Map<String, Object> entry = dataEntry(m, "check");
            assertThat(entry).containsEntry("status", "OK").containsEntry("status_code", 0)
                    .containsEntry("output", "OK: run 3 | n=3").containsEntry("check_time", ((Number) event.get("check_time")).intValue())
                    .containsEntry("perfdata", List.of(Map.of("unit", "", "label", "n", "value", 3)));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> history = (List<Map<String, Object>>) entry.get("history");
            assertThat(history).extracting(h -> h.get("perfdata"))
                    .containsExactly(List.of(Map.of("unit", "", "label", "n", "value", 1)),
                            List.of(Map.of("unit", "", "label", "n", "value", 2)),
                            List.of(Map.of("unit", "", "label", "n", "value", 3)));
            assertThat(history).allSatisfy(h -> assertThat(h).containsEntry("status", 0).containsKey("execute"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataEntry(ScoutMachine m, String watcher) throws java.io.IOException {
        Map<String, Object> data = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                m.state.resolve("machines/" + m.name + "/machine_data.json").toFile(), Map.class);
        return (Map<String, Object>) ((Map<String, Object>) data.get(DataRecord.KEY)).get(watcher);
    }

    @Test
    void dataKeepsTheLast15ChecksAndIgnoresWhatIsNotACheck() {
        Object previous = Map.of("history", List.of("junk", Map.of("execute", "x", "status", 2)));
        Map<String, Object> entry = null;
        for (int i = 0; i < 16; i++) {
            entry = DataRecord.entry(previous, new CheckRecord(java.time.Instant.ofEpochSecond(i), NagiosStatus.OK,
                    List.of()), "OK");
            previous = entry;
        }
        assertThat((List<?>) entry.get("history")).hasSize(15).first()
                .isEqualTo(Map.of("execute", java.time.Instant.ofEpochSecond(1).toString(), "status", 0));
        assertThat(DataRecord.entry("not a map", new CheckRecord(java.time.Instant.EPOCH, NagiosStatus.CRITICAL,
                List.of()), "CRITICAL: x")).containsEntry("status", "CRITICAL").containsEntry("check_time", 0L)
                .containsEntry("history", List.of(Map.of("execute", "1970-01-01T00:00:00Z", "status", 2)));
    }

    /** A history entry's time as Go writes the reference's: RFC 3339 in UTC, the fraction without trailing zeros. */
    @Test
    void historyTimesAreWrittenAsTheReferencesAre() {
        assertThat(new CheckRecord(java.time.Instant.parse("2020-07-27T18:34:47.059023977Z"), NagiosStatus.OK,
                List.of()).toMap()).containsEntry("execute", "2020-07-27T18:34:47.059023977Z");
        assertThat(new CheckRecord(java.time.Instant.parse("2020-07-27T18:34:47.500Z"), NagiosStatus.OK,
                List.of()).toMap()).containsEntry("execute", "2020-07-27T18:34:47.5Z");
        assertThat(new CheckRecord(java.time.Instant.parse("2020-07-27T18:34:47Z"), NagiosStatus.OK,
                List.of()).toMap()).containsEntry("execute", "2020-07-27T18:34:47Z");
    }

    @Test
    void aPluginThatCannotStartIsUnknown() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "missing")) {
            m.start("interval: 1m", "properties: {plugin: ./nothing-here}");
            m.machine().transition("OK");
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("UNKNOWN");
            assertThat((String) event.get("output")).startsWith("UNKNOWN: command \"./nothing-here\" not found");
        }
    }

    @Test
    void thePluginGetsOnlyTheMachineAndWatcherNamesAndPath() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "env")) {
            m.script("env.sh", "#!/bin/sh\nenv | sort | tr '\\n' ' '\n");
            m.start("interval: 1m", "properties: {plugin: ./env.sh}");
            Map<String, Object> event = m.awaitCheck(1);
            String output = (String) event.get("output");
            assertThat(output).contains("MACHINE_NAME=env ", "MACHINE_WATCHER_NAME=check ", "PATH=")
                    .contains(":" + m.dir + " ").doesNotContain("WATCHER_DATA", "HOME=");
        }
    }

    @Test
    void theMachineDirectoryIsTheWorkingDirectory() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "pwd")) {
            m.script("pwd.sh", "#!/bin/sh\npwd\nexit 1\n");
            m.start("interval: 1m", "properties: {plugin: pwd.sh}");
            assertThat(m.awaitCheck(1)).containsEntry("output", m.dir.toRealPath().toString())
                    .containsEntry("status", "WARNING");
            m.awaitState("WARNING");
            assertThat(Files.exists(m.dir.resolve("machine.yaml"))).isTrue();
        }
    }
}
