package dev.tend.cli.e2e;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's rough edges, end to end through {@code bin/tend}: {@code help} at every level, a validation error
 * exits 2, a missing {@code --machines} directory is an error, every mistyped subcommand gets a suggestion, {@code kv
 * put} of a value from stdin echoes it without an extra blank line, {@code tend --help} describes the agent, and a
 * YAML indentation error is said in plain words.
 */
class CommandLinePapercutsIT extends TendPerTest {

    /** Any {@code picocli.*} property sends a help command line to picocli's path rather than the rendered texts. */
    private static final Map<String, String> PICOCLI_PATH = Map.of("TEND_JAVA_OPTS", "-Dpicocli.usage.width=80");

    @Test
    void helpBeforeOrInsideAGroupPrintsTheCommandsOwnHelp() throws Exception {
        for (List<String> command : List.of(List.of("kv", "put"), List.of("machine", "validate"),
                List.of("governor", "add"), List.of("fleet", "pack"), List.of("kv"), List.of("agent"))) {
            Tend.Result options = tend.run(withHelp(command));
            assertOk(options);
            assertThat(options.out()).startsWith("Usage: tend " + String.join(" ", command) + " ");
            List<String> forms = new java.util.ArrayList<>();
            forms.add(String.join(" ", prefixed("help", command)));
            if (command.size() == 2) {
                forms.add(command.get(0) + " help " + command.get(1));
            }
            for (String form : forms) {
                String[] args = form.split(" ");
                Tend.Result fast = tend.run(args);
                assertOk(fast);
                assertThat(fast.out()).as(form).isEqualTo(options.out());
                Tend.Result picocli = tend.run(null, PICOCLI_PATH, args);
                assertOk(picocli);
                assertThat(picocli.out()).as(form + " through picocli").isEqualTo(options.out());
            }
        }
        Tend.Result top = tend.run("--help");
        assertThat(tend.run("help").out()).isEqualTo(top.out());
        assertThat(tend.run("kv", "help").out()).isEqualTo(tend.run("kv", "--help").out());
    }

    @Test
    void helpOfAnUnknownCommandIsAUsageErrorWithASuggestion() throws Exception {
        Tend.Result r = tend.run("help", "kv", "pt");
        assertOneLineError(r, 2);
        assertThat(r.err()).isEqualTo("tend: kv: unknown command 'pt' (did you mean put?)\n");
    }

    @Test
    void theTopHelpDescribesTheAgentAndTheMachinesAndGroupsTheCommands() throws Exception {
        Tend.Result r = tend.run("--help");
        assertOk(r);
        assertThat(r.out()).contains("machine.yaml").contains("tend agent runs every machine")
                .contains("The store:").contains("Machines and the agent that runs them:");
        assertThat(r.out().indexOf("The store:")).isLessThan(r.out().indexOf("  kv "));
        assertThat(r.out().indexOf("Machines and the agent")).isLessThan(r.out().indexOf("  agent "))
                .isGreaterThan(r.out().indexOf("  governor, gov "));
    }

    @Test
    void everyMistypedSubcommandGetsASuggestion() throws Exception {
        Map<List<String>, String> cases = Map.of(
                List.of("kb", "ls"), "kv",
                List.of("kv", "pt", "B", "K", "V"), "put",
                List.of("kv", "gett", "B", "K"), "get",
                List.of("machine", "vaildate", "x"), "validate",
                List.of("machine", "lst"), "list",
                List.of("governor", "ad", "G", "1", "1m"), "add",
                List.of("fleet", "pak", "x"), "pack",
                List.of("kv", "pt", "--help"), "put",
                List.of("kv", "--store", tmp.resolve("s").toString(), "pt", "B", "K", "V"), "put");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            Tend.Result r = tend.run(c.getKey().toArray(String[]::new));
            assertOneLineError(r, 2);
            assertThat(r.err()).as(r.describe()).contains("(did you mean ").contains(c.getValue() + "?)");
        }
    }

    @Test
    void aValueFromStdinIsEchoedWithoutAnExtraBlankLine() throws Exception {
        assertOk(tend.run("kv", "add", "B"));
        Tend.Result piped = tend.runWithInput("hello\n".getBytes(StandardCharsets.UTF_8), "kv", "put", "B", "K", "-");
        assertOk(piped);
        assertThat(piped.out()).isEqualTo("hello\n");
        Tend.Result argument = tend.run("kv", "put", "B", "K", "hello");
        assertThat(argument.out()).isEqualTo("hello\n");
        Tend.Result noNewline = tend.runWithInput("x".getBytes(StandardCharsets.UTF_8), "kv", "put", "B", "K", "-");
        assertThat(noNewline.out()).isEqualTo("x\n");
    }

    @Test
    void anInvalidMachineIsAValidationErrorAndAMissingOneIsNotFound() throws Exception {
        Path bad = machine("bad", "name: bad\nversion: 1.0.0\n");
        Path missing = tmp.resolve("missing");
        Tend.Result validate = tend.run("machine", "validate", bad.toString());
        assertThat(validate.code()).as(validate.describe()).isEqualTo(2);
        Tend.Result notFound = tend.run("machine", "validate", missing.toString());
        assertThat(notFound.code()).as(notFound.describe()).isEqualTo(1);
        Tend.Result both = tend.run("machine", "validate", missing.toString(), bad.toString());
        assertThat(both.code()).as(both.describe()).isEqualTo(2);
        Tend.Result graph = tend.run("machine", "graph", bad.toString());
        assertThat(graph.code()).as(graph.describe()).isEqualTo(2);
        Tend.Result run = tend.run("machine", "run", bad.toString());
        assertThat(run.code()).as(run.describe()).isEqualTo(2);
        assertThat(run.err()).contains("tend: 1 of 1 machine did not load; nothing was started");
        Tend.Result runMissing = tend.run("machine", "run", missing.toString());
        assertThat(runMissing.code()).as(runMissing.describe()).isEqualTo(1);
        Tend.Result pack = tend.run("fleet", "pack", bad.toString());
        assertThat(pack.code()).as(pack.describe()).isEqualTo(2);
    }

    @Test
    void aMissingMachinesDirectoryIsAnErrorNamingIt() throws Exception {
        Path missing = tmp.resolve("no-machines");
        Tend.Result r = tend.run("agent", "--machines", missing.toString(), "--state", tmp.resolve("state").toString(),
                "--socket", tmp.resolve("agent.sock").toString());
        assertOneLineError(r, 2);
        assertThat(r.err()).isEqualTo("tend: --machines " + missing + ": no such directory\n");
        assertThat(missing).doesNotExist();
        // Named in the environment, the same.
        Tend.Result fromEnv = tend.run(null, java.util.Map.of("TEND_MACHINES", missing.toString()), "agent", "--state",
                tmp.resolve("state").toString(), "--socket", tmp.resolve("agent.sock").toString());
        assertOneLineError(fromEnv, 2);
        assertThat(fromEnv.err()).isEqualTo("tend: TEND_MACHINES " + missing + ": no such directory\n");
        assertThat(missing).doesNotExist();
    }

    @Test
    void anIndentationErrorIsSaidInPlainWordsAtItsLineAndColumn() throws Exception {
        Path m = machine("m", """
                name: m
                version: 1.0.0
                initial_state: A
                transitions:
                  - name: go
                    from: [A]
                    destination: B
                   watchers: []
                """);
        Tend.Result r = tend.run("machine", "validate", m.toString());
        assertThat(r.code()).as(r.describe()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(m.resolve("machine.yaml") + ":8: invalid YAML at column 4: this line is "
                + "indented by 3 spaces: less than line 7 above it (4) but more than line 5 (2), so it belongs to "
                + "neither; keys at the same level must line up\n");

        Path config = tmp.resolve("home/.config/tend/tend.yaml");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "store: /tmp/x\n  nats: nats://localhost:4222\n");
        Tend.Result kv = tend.run(null, Map.of("TEND_STORE", ""), "kv", "ls");
        assertOneLineError(kv, 2);
        assertThat(kv.err()).isEqualTo("tend: cannot read the config file " + config + ":2: invalid YAML at column 3: "
                + "this line is indented more than line 1 above it (2 spaces against 0), so YAML reads it as the rest "
                + "of that line's value; keys at the same level must line up\n");
    }

    private Path machine(String name, String yaml) throws Exception {
        Path dir = tmp.resolve("machines").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        return dir;
    }

    private static String[] withHelp(List<String> command) {
        List<String> args = new java.util.ArrayList<>(command);
        args.add("--help");
        return args.toArray(String[]::new);
    }

    private static List<String> prefixed(String first, List<String> rest) {
        List<String> args = new java.util.ArrayList<>();
        args.add(first);
        args.addAll(rest);
        return args;
    }
}
