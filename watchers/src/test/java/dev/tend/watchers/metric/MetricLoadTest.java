package dev.tend.watchers.metric;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Metric properties through the real loader: what loads, the warnings, and each bad property's file:line message. */
class MetricLoadTest {

    @TempDir
    Path dir;

    private final MachineLoader loader = new MachineLoader(WatcherRegistry.of(List.of(new MetricWatcherFactory())));

    private MachineDefinition load(String... watcherLines) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), MetricMachine.yaml("m", watcherLines));
        return loader.load(dir);
    }

    @Test
    void aChoriaMetricWatcherLoads() throws Exception {
        MachineDefinition d = load("properties:", "  command: ./metric.sh --kind {{ lookup \"facts.kind\" \"x\" }}",
                "  interval: 5m", "  labels: {room: office, floor: 2, lit: true}", "  store: true",
                "  skip_prometheus: 'false'", "  http: true", "  graphite_host: graphite.example.net",
                "  graphite_port: 2003", "  graphite_prefix: choria.{{ lookup \"facts.fqdn\" \"x\" }}");
        assertThat(d.warnings()).isEmpty();
        MetricProperties p = MetricProperties.of("gather", d.watchers().get(0).properties());
        assertThat(p.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.labels()).isEqualTo(Map.of("room", "office", "floor", "2", "lit", "true"));
        assertThat(p.store()).isTrue();
        assertThat(p.skipPrometheus()).isFalse();
        assertThat(p.graphite()).isTrue();
        assertThat(p.graphitePort()).isEqualTo("2003");
    }

    @Test
    void theDefaultsAreTheReferences() throws Exception {
        MetricProperties p = MetricProperties.of("my check", load("properties: {command: ./m.sh}").watchers().get(0)
                .properties());
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.graphitePrefix()).isEqualTo("choria.my-check");
        assertThat(p.graphite()).isFalse();
        assertThat(p.labels()).isEmpty();
    }

    static Stream<Arguments> warned() {
        return Stream.of(
                arguments(List.of("properties: {command: ./m.sh, interval: 500ms}"),
                        "machine.yaml:14: watcher \"gather\" property \"interval\": 500ms is raised to the minimum, 1s"),
                arguments(List.of("interval: 10s", "properties: {command: ./m.sh}"),
                        "machine.yaml:10: watcher \"gather\": the watcher's interval is not used by a metric watcher:"
                                + " set properties.interval"),
                arguments(List.of("success_transition: recover", "properties: {command: ./m.sh}"),
                        "watcher \"gather\": a metric watcher never fires its success_transition"),
                arguments(List.of("properties: {command: ./m.sh, graphite_host: g.example.net}"),
                        "property \"graphite_host\": nothing is sent to Graphite without graphite_port"),
                arguments(List.of("properties: {command: ./m.sh, colour: red}"), "unknown property \"colour\""));
    }

    @ParameterizedTest
    @MethodSource("warned")
    void whatChoriaLoadsButIgnoresIsAWarning(List<String> lines, String message) throws Exception {
        MachineDefinition d = load(lines.toArray(String[]::new));
        assertThat(d.warnings()).extracting(Problem::toString).singleElement().asString().contains(message);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments(List.of("properties: {interval: 10s}"),
                        "machine.yaml:10: watcher \"gather\": property \"command\" is required"),
                arguments(List.of("properties: {command: \"'unclosed\"}"),
                        "machine.yaml:14: watcher \"gather\" property \"command\": cannot split the command \"'unclosed\":"
                                + " the single quote at column 1 is not closed"),
                arguments(List.of("properties: {command: '  # nothing'}"),
                        "property \"command\": the command \"  # nothing\" has no words to run"),
                arguments(List.of("properties:", "  command: ./m.sh", "  interval: soon"),
                        "machine.yaml:16: watcher \"gather\" property \"interval\": invalid duration \"soon\""),
                arguments(List.of("properties: {command: ./m.sh, labels: {a: [1, 2]}}"),
                        ":14: watcher \"gather\" property \"labels\": the value of \"a\" must be a string, not a list"),
                arguments(List.of("properties: {command: ./m.sh, labels: {a: {b: c}}}"),
                        "property \"labels\": the value of \"a\" must be a string, not a mapping"),
                arguments(List.of("properties: {command: ./m.sh, labels: [a]}"), "property \"labels\": "),
                arguments(List.of("properties: {command: ./m.sh, store: maybe}"), "property \"store\": "),
                arguments(List.of("properties: {command: ./m.sh, graphite_host: g, graphite_port: graphite}"),
                        "property \"graphite_port\": \"graphite\" is not a port number (1-65535)"),
                arguments(List.of("properties: {command: ./m.sh, graphite_host: g, graphite_port: 70000}"),
                        "property \"graphite_port\": \"70000\" is not a port number (1-65535)"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void badPropertiesAreLoadErrors(List<String> lines, String message) {
        assertThatThrownBy(() -> load(lines.toArray(String[]::new)))
                .isInstanceOf(MachineLoadException.class)
                .satisfies(e -> assertThat(((MachineLoadException) e).problems()).extracting(Problem::toString)
                        .anySatisfy(p -> assertThat(p).contains(message)));
    }
}
