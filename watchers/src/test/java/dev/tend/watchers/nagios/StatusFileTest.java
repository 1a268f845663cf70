package dev.tend.watchers.nagios;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus textfile: the reference's metrics, written atomically, checked by promtool. */
class StatusFileTest {

    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(StatusFile.FILE_NAME);
    }

    @Test
    void theReferenceMetricsForEachMachine() throws Exception {
        StatusFile f = new StatusFile(Optional.of(dir), START);
        f.update("web", NagiosStatus.UNKNOWN, START);
        f.update("web", NagiosStatus.CRITICAL, START.plusSeconds(60));
        f.update("db \"main\"", NagiosStatus.OK, START.plusSeconds(5));
        assertThat(Files.readString(file())).isEqualTo("""
                # HELP choria_machine_nagios_start_time Time the Choria Machine subsystem started in unix seconds
                # TYPE choria_machine_nagios_start_time gauge
                choria_machine_nagios_start_time 1767323045
                # HELP choria_machine_nagios_watcher_status Choria Nagios Check Status
                # TYPE choria_machine_nagios_watcher_status gauge
                choria_machine_nagios_watcher_status{name="db \\"main\\"",status="OK"} 0
                choria_machine_nagios_watcher_status{name="web",status="CRITICAL"} 2
                # HELP choria_machine_nagios_watcher_last_run_seconds Choria Nagios Check Time
                # TYPE choria_machine_nagios_watcher_last_run_seconds gauge
                choria_machine_nagios_watcher_last_run_seconds{name="db \\"main\\""} 1767323050
                choria_machine_nagios_watcher_last_run_seconds{name="web"} 1767323105
                # HELP choria_machine_nagios_watcher_checks_count Choria Nagios Check Count
                # TYPE choria_machine_nagios_watcher_checks_count counter
                choria_machine_nagios_watcher_checks_count{name="db \\"main\\""} 1
                choria_machine_nagios_watcher_checks_count{name="web"} 2
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-r--r--");
        try (var listing = Files.list(dir)) {
            assertThat(listing).as("no temporary file is left").containsExactly(file());
        }
    }

    @Test
    void promtoolParsesItAndFindsOnlyTheReferencesCounterName() throws Exception {
        assertThat(PROMTOOL).as("promtool (Debian's prometheus package; bin/verify installs it)").isExecutable();
        StatusFile f = new StatusFile(Optional.of(dir), START);
        f.update("web", NagiosStatus.WARNING, START);
        f.update("db", NagiosStatus.OK, START);
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectInput(file().toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // 3: lint problems only (1 would be a file that does not parse). The counter keeps the reference's name.
        assertThat(p.exitValue()).as(out).isEqualTo(3);
        assertThat(out.lines().toList()).containsExactlyInAnyOrder(
                "choria_machine_nagios_watcher_checks_count counter metrics should have \"_total\" suffix",
                "choria_machine_nagios_watcher_checks_count non-histogram and non-summary metrics should not have"
                        + " \"_count\" suffix");
    }

    @Test
    void aRemovedMachineLeavesTheFileAndClosingRemovesIt() throws Exception {
        StatusFile f = new StatusFile(Optional.of(dir), START);
        f.update("web", NagiosStatus.OK, START);
        f.update("db", NagiosStatus.OK, START);
        f.remove("web");
        assertThat(Files.readString(file())).doesNotContain("web").contains("{name=\"db\",status=\"OK\"} 0");
        f.close();
        assertThat(file()).doesNotExist();
    }

    @Test
    void nothingIsWrittenWithoutADirectoryOrWhileItIsMissing() throws IOException {
        new StatusFile(Optional.empty(), START).update("web", NagiosStatus.OK, START);
        Path missing = dir.resolve("missing");
        new StatusFile(Optional.of(missing), START).update("web", NagiosStatus.OK, START);
        assertThat(missing).doesNotExist();
        try (var listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void theWatcherWritesItsMachinesStatusAndRemovesItWhenItStops() throws Exception {
        Path textfiles = Files.createDirectories(dir.resolve("textfiles"));
        try (ScoutMachine m = new ScoutMachine(dir, "web").textfileDirectory(textfiles)) {
            m.start("interval: 1m", "properties: {plugin: '" + ScoutMachine.PLUGINS + "/check_dummy 2 down'}");
            m.awaitCheck(1);
            m.awaitState("CRITICAL");
            Path file = textfiles.resolve(StatusFile.FILE_NAME);
            m.await("the textfile shows CRITICAL", () -> read(file)
                    .contains("choria_machine_nagios_watcher_status{name=\"web\",status=\"CRITICAL\"} 2\n"));
            // one count when the watcher started (UNKNOWN), one for the check, one for the transition it fired
            m.await("three counts", () -> read(file)
                    .contains("choria_machine_nagios_watcher_checks_count{name=\"web\"} 3\n"));

            m.machine().transition("MAINTENANCE"); // any other state counts as OK, as in the reference
            m.await("the textfile shows OK", () -> read(file)
                    .contains("choria_machine_nagios_watcher_status{name=\"web\",status=\"OK\"} 0\n"));

            m.machine().stop();
            assertThat(read(file)).doesNotContain("name=\"web\"");
            m.factory().close();
            assertThat(file).doesNotExist();
            assertThat(List.of(textfiles.toFile().list())).isEmpty();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
