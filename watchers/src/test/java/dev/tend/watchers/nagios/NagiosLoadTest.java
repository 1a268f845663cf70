package dev.tend.watchers.nagios;

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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Nagios properties through the real loader: what loads, and each bad property's file:line message. */
class NagiosLoadTest {

    @TempDir
    Path dir;

    private final MachineLoader loader = new MachineLoader(WatcherRegistry.of(List.of(new NagiosWatcherFactory())));

    private MachineDefinition load(String... watcherLines) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), ScoutMachine.yaml("check", watcherLines));
        return loader.load(dir);
    }

    @Test
    void aScoutCheckLoads() throws Exception {
        MachineDefinition d = load("interval: 5m", "properties:", "  plugin: /usr/lib/nagios/plugins/check_dummy 0",
                "  timeout: 20s", "  annotations: {a: b}");
        assertThat(d.watchers()).singleElement().satisfies(w -> {
            assertThat(w.type()).isEqualTo("nagios");
            assertThat(w.interval()).isEqualTo(Duration.ofMinutes(5));
            NagiosProperties p = NagiosProperties.of(w.properties());
            assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(p.annotations()).containsEntry("a", "b");
        });
    }

    @Test
    void theTimeoutDefaultsTo10s() throws Exception {
        MachineDefinition d = load("properties: {builtin: heartbeat}");
        assertThat(NagiosProperties.of(d.watchers().get(0).properties()).timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments(List.of("properties: {timeout: 1s}"),
                        "machine.yaml:13: watcher \"check\": a nagios watcher needs a plugin or a builtin"),
                arguments(List.of("properties: {plugin: /bin/true, builtin: heartbeat}"),
                        "machine.yaml:16: watcher \"check\" property \"builtin\": cannot be set with plugin: a check is a plugin"
                                + " or a builtin"),
                arguments(List.of("properties: {builtin: heartbeats}"),
                        "unknown builtin \"heartbeats\": it is one of heartbeat, goss, choria_status"),
                arguments(List.of("properties: {plugin: \"'unclosed\"}"),
                        ":16: watcher \"check\" property \"plugin\": cannot be split into words: the single quote at column 1"
                                + " is not closed"),
                arguments(List.of("interval: 100ms", "properties: {builtin: heartbeat}"),
                        "interval 100ms is too short for a nagios watcher: the minimum is 500ms"),
                arguments(List.of("properties: {builtin: choria_status}"),
                        "property \"last_message\": is required with builtin: choria_status"),
                arguments(List.of("properties: {plugin: /bin/true, timeout: soon}"),
                        ":16: watcher \"check\" property \"timeout\": invalid duration \"soon\""));
    }

    @Test
    void anUnknownPropertyIsAWarningAsChoriaIgnoresIt() throws Exception {
        MachineDefinition d = load("properties: {plugin: /bin/true, colour: red}");
        assertThat(d.warnings()).extracting(Problem::toString)
                .singleElement().asString().contains("unknown property \"colour\"");
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
