package dev.tend.watchers.metric;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus textfile: the reference's names, labels and help, written atomically, checked by promtool. */
class MetricsFileTest {

    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve(MetricsFile.FILE_NAME);
    }

    @Test
    void eachMetricIsAGaugeNamedAfterTheWatcherWithTheResultsLabels() throws Exception {
        MetricsFile f = new MetricsFile(Optional.of(dir));
        f.update("kasa", "Power Plug", new Metric(Map.of("format", "choria", "Room", "Living Room, \"East\""),
                Map.of("watts", 12.5, "on", 1.0), 1700000000));
        f.update("kasa2", "power plug", new Metric(Map.of("format", "choria", "room", "office"),
                Map.of("watts", 3.0), 1700000000));
        assertThat(Files.readString(file())).isEqualTo("""
                # HELP choria_machine_metric_watcher_power_plug_on Choria Metric
                # TYPE choria_machine_metric_watcher_power_plug_on gauge
                choria_machine_metric_watcher_power_plug_on{format="choria",room="living_room___east_"} 1.000000
                # HELP choria_machine_metric_watcher_power_plug_watts Choria Metric
                # TYPE choria_machine_metric_watcher_power_plug_watts gauge
                choria_machine_metric_watcher_power_plug_watts{format="choria",room="living_room___east_"} 12.500000
                choria_machine_metric_watcher_power_plug_watts{format="choria",room="office"} 3.000000
                """);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-r--r--");
        try (var listing = Files.list(dir)) {
            assertThat(listing).as("no temporary file is left").containsExactly(file());
        }
    }

    @Test
    void namesThatWouldMakeTheFileInvalidAreMadeValidAndDuplicateSeriesWrittenOnce() throws Exception {
        MetricsFile f = new MetricsFile(Optional.of(dir));
        f.update("a", "check", new Metric(Map.of("my-label", "x\\y"), Map.of("time.since", 1.0), 1));
        f.update("b", "check", new Metric(Map.of("my-label", "x\\y"), Map.of("time.since", 2.0), 1));
        assertThat(Files.readString(file())).isEqualTo("""
                # HELP choria_machine_metric_watcher_check_time_since Choria Metric
                # TYPE choria_machine_metric_watcher_check_time_since gauge
                choria_machine_metric_watcher_check_time_since{my_label="x\\\\y"} 1.000000
                """);
    }

    @Test
    void promtoolFindsNothingWrong() throws Exception {
        assertThat(PROMTOOL).as("promtool (Debian's prometheus package; bin/verify installs it)").isExecutable();
        MetricsFile f = new MetricsFile(Optional.of(dir));
        f.update("kasa", "Power Plug", new Metric(Map.of("format", "choria", "room", "Living Room"),
                Map.of("watts", 12.5, "on", 1.0, "dash-name", Double.NaN), 1));
        f.update("puppet", "puppet", new Metric(Map.of("format", "nagios", "dupe", "w"),
                Map.of("time_since_last_run", 237.0, "failed_resources", 0.0, "last_run_duration", 59.67), 1));
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                .redirectInput(file().toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEmpty();
    }

    @Test
    void aStoppedWatchersLinesGoAndClosingRemovesTheFile() throws Exception {
        MetricsFile f = new MetricsFile(Optional.of(dir));
        f.touch();
        assertThat(file()).hasContent("");
        f.update("web", "a", new Metric(Map.of(), Map.of("x", 1.0), 1));
        f.update("db", "a", new Metric(Map.of(), Map.of("x", 2.0), 1));
        f.remove("web", "a");
        assertThat(Files.readString(file())).isEqualTo("""
                # HELP choria_machine_metric_watcher_a_x Choria Metric
                # TYPE choria_machine_metric_watcher_a_x gauge
                choria_machine_metric_watcher_a_x{} 2.000000
                """);
        f.close();
        assertThat(file()).doesNotExist();
    }

    @Test
    void nothingIsWrittenWithoutADirectoryOrWhileItIsMissing() throws IOException {
        new MetricsFile(Optional.empty()).update("web", "a", new Metric(Map.of(), Map.of("x", 1.0), 1));
        Path missing = dir.resolve("missing");
        new MetricsFile(Optional.of(missing)).update("web", "a", new Metric(Map.of(), Map.of("x", 1.0), 1));
        assertThat(missing).doesNotExist();
        try (var listing = Files.list(dir)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void theWatcherWritesItsResultsSkipsWithSkipPrometheusAndRemovesThemWhenItStops() throws Exception {
        Path textfiles = Files.createDirectories(dir.resolve("textfiles"));
        try (MetricMachine m = new MetricMachine(dir, "plug").textfileDirectory(textfiles)) {
            m.printing("metric.sh", "{\"labels\": {\"Room\": \"Hall\"}, \"metrics\": {\"watts\": 7}}");
            m.startYaml(MetricMachine.yamlWith("plug", List.of(
                    List.of("properties: {command: ./metric.sh, labels: {site: A}}"),
                    List.of("properties: {command: ./metric.sh, skip_prometheus: true}")),
                    List.of("power", "hidden")));
            Path file = textfiles.resolve(MetricsFile.FILE_NAME);
            m.await("both results", () -> m.states().size() >= 2);
            m.await("the textfile", () -> read(file).contains("choria_machine_metric_watcher_power_watts"));
            assertThat(read(file)).isEqualTo("""
                    # HELP choria_machine_metric_watcher_power_watts Choria Metric
                    # TYPE choria_machine_metric_watcher_power_watts gauge
                    choria_machine_metric_watcher_power_watts{format="choria",room="hall",site="a"} 7.000000
                    """);

            m.machine().stop();
            assertThat(read(file)).isEmpty();
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
