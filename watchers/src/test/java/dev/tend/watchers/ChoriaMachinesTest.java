package dev.tend.watchers;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The Choria project's own machine files (src/test/resources/choria-machines, whose README names each file's source)
 * through Tend's loader with every built-in watcher type, as the agent loads them: each loads, with exactly the warnings
 * listed, or is refused with exactly the errors listed, and the reason why.
 *
 * <p>A file refused only because Tend lacks a watcher type it uses fails this test when the type lands: its
 * expectation then becomes {@link Kind#LOADS}, as the metric, governor, hiera_config, archive, plugins and machines
 * files' did.
 */
class ChoriaMachinesTest {

    private static final WatcherRegistry REGISTRY = WatcherRegistry.load(ChoriaMachinesTest.class.getClassLoader());
    private static final MachineLoader LOADER = new MachineLoader(REGISTRY);

    enum Kind {
        /** Loads, with exactly these warnings. */
        LOADS,
        /** Refused, by Tend as by Choria, or for a type Tend does not have: exactly these errors. */
        REFUSED
    }

    /**
     * @param kind     what loading gives
     * @param messages a part of each warning (LOADS) or error (REFUSED), one per problem
     * @param reason   why, for a file that does not load
     */
    record Expect(Kind kind, List<String> messages, String reason) {
        static Expect loads(String... warnings) {
            return new Expect(Kind.LOADS, List.of(warnings), "");
        }

        static Expect refused(String reason, String... errors) {
            return new Expect(Kind.REFUSED, List.of(errors), reason);
        }
    }

    private static final String NOT_SUPPORTED = "Tend does not have this watcher type";
    private static final String GO_TEMPLATE = "a Go template Choria renders before it loads it: its name and interval"
            + " are Go template actions, which Tend does not render";

    private static final Map<String, Expect> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("go-choria-test-machine", Expect.loads()),
            Map.entry("go-choria-subscriber", Expect.loads(
                    "transition \"fire_1\": destination \"one\" has no way out")),
            Map.entry("go-choria-machines-archive", Expect.refused(GO_TEMPLATE,
                    "name \"mm_{{ .Name }}\" is not valid",
                    "interval: invalid duration \"{{.Interval}}\"")),
            Map.entry("go-choria-machines-manager", Expect.loads()),
            Map.entry("go-choria-machines-readme", Expect.refused("the duplicate key is refused by Choria's YAML"
                            + " parser as well",
                    "duplicate key \"state_match\" (first on line 19)")),
            Map.entry("go-choria-plugins-archive", Expect.refused(GO_TEMPLATE,
                    "name \"{{ .NamePrefix }}_{{ .Name }}\" is not valid",
                    "interval: invalid duration \"{{.Interval}}\"")),
            Map.entry("go-choria-plugins-manager", Expect.loads( // Choria's plugins watcher ignores it too
                    "unknown property \"machine_manage_interval\"")),
            Map.entry("docs-choria-status", Expect.loads()),
            Map.entry("machine-room-echo", Expect.loads()),
            Map.entry("machine-room-machines-manager", Expect.loads(
                    "unknown property \"machine_manage_interval\"")),
            Map.entry("docs-hvac", Expect.refused("Choria refuses it too: success_transition names the state idle,"
                            + " not a transition",
                    "watcher \"off\": unknown transition \"idle\"")),
            Map.entry("docs-check-httpd", Expect.loads()),
            Map.entry("docs-metadata-archive", Expect.loads()),
            Map.entry("docs-plugins", Expect.loads("unknown field \"state_matchin\"",
                    "destination \"MAINTENANCE\" has no way out")),
            Map.entry("docs-scheduler", Expect.loads()),
            Map.entry("docs-timer", Expect.loads(
                    "success_transition \"override_ends\" is never fired")),
            Map.entry("docs-homekit", Expect.refused(NOT_SUPPORTED,
                    "type \"homekit\" is not supported by Tend")),
            Map.entry("docs-kv-watch", Expect.loads()),
            Map.entry("docs-governor", Expect.loads()),
            Map.entry("blog-container-manager", Expect.loads()),
            Map.entry("blog-hiera", Expect.loads()),
            Map.entry("puppet-scout-heartbeat", Expect.loads()),
            Map.entry("puppet-scout-check-mailq", Expect.loads()),
            Map.entry("puppet-scout-mailq-remediate", Expect.loads()),
            Map.entry("puppet-scout-metric-kasa", Expect.loads())));

    /** Warnings a file gives besides its expected problems when it is refused (validate reports both). */
    private static final Map<String, List<String>> WARNINGS_OF_REFUSED = Map.of(
            "go-choria-machines-archive", List.of(
                    "property \"creates\": is not a template (nor is it in Choria): used as written",
                    "property \"target\": is not a template (nor is it in Choria): used as written"),
            "go-choria-plugins-archive", List.of(
                    "property \"creates\": is not a template (nor is it in Choria): used as written",
                    "property \"target\": is not a template (nor is it in Choria): used as written"));

    @AfterAll
    static void closeRegistry() {
        REGISTRY.close();
    }

    static Path machines() throws URISyntaxException {
        return Path.of(ChoriaMachinesTest.class.getResource("/choria-machines/README.md").toURI()).getParent();
    }

    static Stream<Arguments> expectations() {
        return EXPECTED.entrySet().stream().map(e -> arguments(e.getKey(), e.getValue()));
    }

    @Test
    void everyFileHasAnExpectationAndEveryExpectationAFile() throws Exception {
        List<String> directories;
        try (Stream<Path> list = Files.list(machines())) {
            directories = list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(directories).containsExactlyElementsOf(EXPECTED.keySet());
        for (String d : directories) {
            assertThat(machines().resolve(d).resolve("machine.yaml")).isRegularFile();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void loadsAsExpected(String directory, Expect expect) throws IOException, URISyntaxException {
        Path dir = machines().resolve(directory);
        MachineLoader.Validation v = LOADER.validate(dir);
        List<String> errors = v.errors().stream().map(Problem::toString).toList();
        List<String> warnings = v.warnings().stream().map(Problem::toString).toList();
        if (expect.kind() == Kind.LOADS) {
            assertThat(errors).as("errors of %s", directory).isEmpty();
            assertEach(warnings, expect.messages(), directory);
            MachineDefinition d = assertLoads(dir);
            assertThat(d.warnings()).hasSameSizeAs(expect.messages());
        } else {
            assertThat(expect.reason()).isNotBlank();
            assertEach(errors, expect.messages(), directory + " (" + expect.reason() + ")");
            assertEach(warnings, WARNINGS_OF_REFUSED.getOrDefault(directory, List.of()), directory);
        }
    }

    /**
     * Every type of the reference that Tend lacks is refused by name with the same one-line message: those the files
     * above use (archive, homekit), and gossip, httpswitch and ccm_manifest, which no published machine file uses.
     */
    @ParameterizedTest
    @ValueSource(strings = {"homekit", "gossip", "httpswitch", "ccm_manifest"})
    void typesTendLacksAreRefusedAsNotSupported(String type, @TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("machine.yaml"), """
                name: lacking
                version: 1.0.0
                initial_state: on
                transitions:
                  - {name: toggle, from: [on], destination: on}
                watchers:
                  - name: w
                    type: %s
                    properties: {}
                """.formatted(type));
        assertThat(LOADER.validate(dir).errors()).extracting(Problem::toString)
                .containsExactly(dir.resolve("machine.yaml") + ":8: watcher \"w\": type \"" + type
                        + "\" is not supported by Tend");
    }

    private static MachineDefinition assertLoads(Path dir) {
        try {
            return LOADER.load(dir);
        } catch (Exception e) {
            throw new AssertionError(dir + " does not load: " + e.getMessage(), e);
        }
    }

    /** Each message has a problem containing its text, and there are no other problems. */
    private static void assertEach(List<String> problems, List<String> expected, String what) {
        assertThat(problems).as("problems of %s", what).hasSameSizeAs(expected);
        for (String message : expected) {
            assertThat(problems).as("problems of %s", what).anySatisfy(p -> assertThat(p).contains(message));
        }
    }
}
