package dev.tend.watchers.nagios;

import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The builtins: choria_status on Tend's agent health, goss (refused without a goss binary), heartbeat. */
class NagiosBuiltinTest {

    private static final String STATUS = "properties: {builtin: choria_status, last_message: 10m}";

    @TempDir
    Path root;

    @Test
    void agentStatusIsOkWhileTheStoreAnswersAndEventsAreRecent() throws Exception {
        try (KvStore store = KvStore.open(root.resolve("kv").toUri().toString());
             ScoutMachine m = new ScoutMachine(root, "agent").store(() -> store)) {
            m.start("interval: 1m", STATUS);
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("OK");
            assertThat(event).containsEntry("plugin", "choria_status").containsEntry("status", "OK");
            assertThat((String) event.get("output")).startsWith("OK: 1 machines, last event 0s ago|machines=1;;");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> perf = (List<Map<String, Object>>) event.get("perfdata");
            assertThat(perf).extracting(p -> p.get("label"))
                    .containsExactly("machines", "last_event", "last_event_age", "store");
        }
    }

    @Test
    void agentStatusIsCriticalWhenTheStoreDoesNotAnswer() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "nostore").store(() -> {
            throw new StoreException("nats://127.0.0.1:1: connection refused");
        })) {
            m.start("interval: 1m", STATUS);
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("CRITICAL");
            assertThat((String) event.get("output"))
                    .startsWith("CRITICAL: the store does not answer: nats://127.0.0.1:1: connection refused|")
                    .endsWith(" store=0;;");
        }
    }

    @Test
    void agentStatusIsCriticalWhenNoEventCameForLongerThanLastMessage() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "quiet")) {
            m.start("interval: 1h", STATUS);
            m.awaitCheck(1);
            m.awaitState("OK");
            m.manual.advance(Duration.ofHours(1)); // the agent's last events were the first check's, an hour ago
            Map<String, Object> event = m.awaitCheck(2);
            m.awaitState("CRITICAL");
            assertThat((String) event.get("output"))
                    .startsWith("CRITICAL: the last event was 3600s ago, more than 10m0s|machines=1;; last_event=");
        }
    }

    @Test
    void gossIsRefusedAtLoadWithoutAGossBinary() throws Exception {
        Path dir = Files.createDirectories(root.resolve("m"));
        Files.writeString(dir.resolve("machine.yaml"), ScoutMachine.yaml("goss",
                "properties: {builtin: goss, gossfile: goss.yaml}"));
        NagiosWatcherFactory factory = new NagiosWatcherFactory(NagiosSettings.defaults().withAgentPath("/usr/bin:/bin"),
                new Builtins(), java.time.Clock.systemUTC());
        assertThatThrownBy(() -> new MachineLoader(WatcherRegistry.of(List.of(factory))).load(dir))
                .isInstanceOf(MachineLoadException.class)
                .satisfies(e -> assertThat(((MachineLoadException) e).problems()).extracting(Problem::toString)
                        .singleElement().asString().endsWith(":16: watcher \"check\" property \"builtin\": goss needs a"
                                + " goss binary in the agent's PATH, and there is none (/usr/bin:/bin)"));
    }

    /**
     * goss is not packaged for Debian, so a stand-in {@code goss} on the agent's PATH writes what goss's structured
     * format writes, and records its arguments.
     */
    @Test
    void gossRunsTheGossfileAndJudgesItsSummary() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path goss = bin.resolve("goss");
        Files.writeString(goss, """
                #!/bin/sh
                echo "$@" > "$MACHINE_NAME.args"
                echo '{"results":[],"summary":{"test-count":5,"failed-count":2,"total-duration":1500000000},\
                "summary-line":"Count: 5, Failed: 2, Duration: 1.500s"}'
                """);
        Files.setPosixFilePermissions(goss, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ScoutMachine m = new ScoutMachine(root, "goss")) {
            m.settings(m.settings().withAgentPath(bin + ":/usr/bin:/bin"));
            m.start("interval: 1m", "properties: {builtin: goss, gossfile: goss.yaml}");
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("CRITICAL");
            assertThat(event).containsEntry("plugin", "goss").containsEntry("output",
                    "CRITICAL: Count: 5, Failed: 2, Duration: 1.500s|checks=5;; failed=2;; runtime=1.500000s");
            assertThat(Files.readString(m.dir.resolve("goss.args")).strip())
                    .isEqualTo("--gossfile " + m.dir.resolve("goss.yaml") + " validate --format structured");
        }
    }

    /** As Choria gives goss the overrides as its variables, Tend gives goss the agent's overrides file. */
    @Test
    void gossGetsTheOverridesFileAsItsVariables() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path goss = bin.resolve("goss");
        Files.writeString(goss, """
                #!/bin/sh
                echo "$@" > "$MACHINE_NAME.args"
                echo '{"summary":{"test-count":1,"failed-count":0,"total-duration":1000},"summary-line":"Count: 1"}'
                """);
        Files.setPosixFilePermissions(goss, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path overrides = Files.writeString(root.resolve("overrides.json"), "{\"goss\": {\"port\": 22}}");
        try (ScoutMachine m = new ScoutMachine(root, "goss")) {
            m.settings(m.settings().withAgentPath(bin + ":/usr/bin:/bin")).overrides(overrides);
            m.start("interval: 1m", "properties: {builtin: goss, gossfile: goss.yaml}");
            m.awaitState("OK");
            assertThat(Files.readString(m.dir.resolve("goss.args")).strip()).isEqualTo("--gossfile "
                    + m.dir.resolve("goss.yaml") + " --vars " + overrides + " validate --format structured");
        }
    }

    @Test
    void gossOutputJudged() {
        assertThat(GossCheck.judge("{\"summary\":{\"test-count\":3,\"failed-count\":0,\"total-duration\":2000000},"
                + "\"summary-line\":\"Count: 3, Failed: 0, Duration: 0.002s\"}"))
                .isEqualTo(CheckResult.of(NagiosStatus.OK, "OK: Count: 3, Failed: 0, Duration: 0.002s|checks=3;;"
                        + " failed=0;; runtime=0.002000s", "goss"));
        assertThat(GossCheck.judge("Error: file error: open goss.yaml: no such file or directory").status())
                .isEqualTo(NagiosStatus.UNKNOWN);
        assertThat(GossCheck.judge("{\"results\":[]}").output()).startsWith("UNKNOWN: goss wrote no summary");
    }
}
