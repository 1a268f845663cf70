package dev.tend.watchers.nagios;

import ch.qos.logback.classic.Level;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Noop mode: the plugin is found and logged, never run; the check is OK, and no textfile is written. */
class NagiosNoopTest {

    @TempDir
    Path root;

    @Test
    void thePluginIsLoggedNotRunAndTheCheckIsOk() throws Exception {
        Path textfiles = Files.createDirectories(root.resolve("textfiles"));
        Path marker = root.resolve("marker");
        try (ScoutMachine m = new ScoutMachine(root, "noopcheck").textfileDirectory(textfiles);
             LogCapture log = LogCapture.of("dev.tend.machine.noopcheck.check")) {
            Path script = m.script("critical.sh", "#!/bin/sh\ntouch " + marker + "\necho 'CRITICAL: ran'\nexit 2\n");
            m.noop();
            m.start("interval: 1m", "properties: {plugin: './critical.sh -w 1'}");
            Map<String, Object> event = m.awaitCheck(1);
            m.awaitState("OK");

            assertThat(marker).doesNotExist();
            assertThat(event).containsEntry("status", "OK").containsEntry("output", PluginRun.NOOP_OUTPUT)
                    .containsEntry("plugin", "./critical.sh -w 1");
            assertThat(log.lines(Level.INFO)).contains("noop: would run " + script.toRealPath()
                    + " -w 1 (machine noopcheck watcher check)");
            assertThat(textfiles).as("no Prometheus textfile in noop mode").isEmptyDirectory();
        }
    }

    @Test
    void gossIsLoggedNotRun() throws Exception {
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path goss = bin.resolve("goss");
        Files.writeString(goss, "#!/bin/sh\necho \"$@\" > \"$MACHINE_NAME.args\"\n");
        Files.setPosixFilePermissions(goss, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ScoutMachine m = new ScoutMachine(root, "noopgoss");
             LogCapture log = LogCapture.of("dev.tend.machine.noopgoss.check")) {
            m.settings(m.settings().withAgentPath(bin + ":/usr/bin:/bin"));
            m.noop();
            m.start("interval: 1m", "properties: {builtin: goss, gossfile: goss.yaml}");
            assertThat(m.awaitCheck(1)).containsEntry("plugin", "goss").containsEntry("status", "OK")
                    .containsEntry("output", PluginRun.NOOP_OUTPUT);
            m.awaitState("OK");
            assertThat(m.dir.resolve("noopgoss.args")).doesNotExist();
            assertThat(log.lines(Level.INFO)).contains("noop: would run " + goss + " --gossfile "
                    + m.dir.resolve("goss.yaml") + " validate --format structured (machine noopgoss watcher check)");
        }
    }

    @Test
    void theHeartbeatBuiltinRunsAsUsual() throws Exception {
        try (ScoutMachine m = new ScoutMachine(root, "beat")) {
            m.noop();
            m.start("interval: 1m", "properties: {builtin: heartbeat}");
            Map<String, Object> event = m.awaitCheck(1);
            assertThat(event).containsEntry("status", "OK");
            assertThat((String) event.get("output")).matches("[0-9]+");
        }
    }
}
