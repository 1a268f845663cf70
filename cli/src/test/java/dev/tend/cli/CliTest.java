package dev.tend.cli;

import dev.tend.cli.command.ByteSizeConverter;
import dev.tend.cli.command.DurationConverter;
import dev.tend.cli.command.ExitCodes;
import dev.tend.kv.StoreException;
import dev.tend.kv.UnknownKeyException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new Cli(new PrintWriter(out), new PrintWriter(err), Map.of("NO_COLOR", "1"), List.of(new Probe()))
                .execute(args);
    }

    /** A stand-in subcommand that fails on demand, to check how errors become exit codes. */
    @Command(name = "probe", description = "Test only.")
    static final class Probe implements Callable<Integer> {
        @Option(names = "--fail")
        String fail;

        @Option(names = "--ttl", converter = DurationConverter.class)
        Duration ttl;

        @Option(names = "--size", converter = ByteSizeConverter.class)
        Long size;

        @Override
        public Integer call() {
            if (fail != null) {
                switch (fail) {
                    case "notfound" -> throw new UnknownKeyException("CFG", "username");
                    case "store" -> throw new StoreException("disk full writing /tmp/kv");
                    default -> throw new IllegalStateException("boom");
                }
            }
            return 0;
        }
    }

    private static String realCli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = new Cli(new PrintWriter(o), new PrintWriter(e), Map.of("NO_COLOR", "1")).execute(args);
        return code + "\n" + o + "\n--- stderr ---\n" + e;
    }

    @Test
    void suggestsOnlyTheNearestOptionsForAMistypedOne() {
        assertThat(Cli.closest("--machine", List.of("--machines", "--manage-machines", "--machines-bucket")))
                .containsExactly("--machines");
        assertThat(Cli.closest("--stor", List.of("--store", "--state"))).containsExactly("--store");
        assertThat(Cli.closest("--sxate", List.of("--store", "--state"))).containsExactly("--state");
        assertThat(Cli.closest("--x", List.of("--ab", "--ac"))).containsExactly("--ab", "--ac");
        assertThat(Cli.closest("--x", List.of())).isEmpty();
    }

    @Test
    void theAgentsMistypedMachinesOptionSuggestsOnlyMachines() {
        StringWriter err = new StringWriter();
        int code = new Cli(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of("NO_COLOR", "1"))
                .execute("agent", "--machine", "/m");
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("tend: unknown options: '--machine', '/m' (did you mean --machines?)\n");
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).isEqualTo("tend 0.1.0-SNAPSHOT" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
        assertThat(VersionProvider.version()).isEqualTo("0.1.0-SNAPSHOT");
    }

    @Test
    void helpListsTheOptionsCommandsAndExitCodes() {
        String result = realCli("--help");
        assertThat(result).startsWith("0\n");
        assertThat(result).contains("Usage: tend [-hV] [--debug] [COMMAND]", "--debug", "--version", "help",
                "Exit status:", "2   usage or validation error");
        assertThat(result).endsWith("--- stderr ---\n");
        assertThat(result).doesNotContain("\u001b[");
    }

    @Test
    void helpCommandShowsACommandsHelp() {
        assertThat(run("help")).isZero();
        assertThat(out.toString()).contains("Usage: tend");
        out.getBuffer().setLength(0);
        assertThat(run("help", "probe")).isZero();
        assertThat(out.toString()).contains("Usage: tend probe");
    }

    @Test
    void helpForAnUnknownCommandIsAUsageError() {
        assertThat(run("help", "nosuch")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("tend: unknown command 'nosuch'" + System.lineSeparator());
    }

    @Test
    void noCommandPrintsTheUsageToStderrAsAUsageError() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("Usage: tend");
    }

    @Test
    void anUnknownOptionIsOneLineAndExitCode2() {
        assertThat(run("--nosuch")).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("tend: unknown option: '--nosuch'" + System.lineSeparator());
    }

    @Test
    void aMisspeltOptionGetsASuggestionOnTheSameLine() {
        assertThat(run("--versio")).isEqualTo(2);
        assertThat(err.toString()).startsWith("tend: unknown option: '--versio' (did you mean --version")
                .hasLineCount(1);
    }

    @Test
    void anUnknownCommandIsTheSameLineTypedOrAskedHelpForOnEitherPath() {
        Map<String, List<List<String>>> cases = Map.of(
                "tend: kv: unknown command 'pt' (did you mean put?)", List.of(
                        List.of("kv", "pt", "B", "K", "V"), List.of("kv", "pt"), List.of("help", "kv", "pt"),
                        List.of("kv", "help", "pt"), List.of("kv", "pt", "--help"),
                        List.of("kv", "--store", "/nowhere", "pt", "B", "K", "V")),
                "tend: machine: unknown command 'lst' (did you mean ls or list?)", List.of(
                        List.of("machine", "lst"), List.of("help", "machine", "lst"), List.of("machine", "help", "lst"),
                        List.of("machine", "lst", "--socket", "/nowhere.sock")),
                "tend: unknown command 'kvv' (did you mean kv?)", List.of(
                        List.of("kvv"), List.of("help", "kvv"), List.of("kvv", "ls")),
                "tend: unknown command 'frobnicate'", List.of(List.of("frobnicate"), List.of("help", "frobnicate")));
        for (Map.Entry<String, List<List<String>>> c : cases.entrySet()) {
            for (List<String> args : c.getValue()) {
                for (boolean fastPaths : new boolean[] {true, false}) {
                    StringWriter o = new StringWriter();
                    StringWriter e = new StringWriter();
                    Cli cli = new Cli(new PrintWriter(o), new PrintWriter(e), Map.of("NO_COLOR", "1"));
                    int code = (fastPaths ? cli : cli.withoutFastPaths()).execute(args.toArray(String[]::new));
                    String line = "tend " + String.join(" ", args) + (fastPaths ? "" : " (picocli)");
                    assertThat(code).as(line).isEqualTo(ExitCodes.USAGE);
                    assertThat(o.toString()).as(line).isEmpty();
                    assertThat(e.toString()).as(line).isEqualTo(c.getKey() + System.lineSeparator());
                }
            }
        }
    }

    @Test
    void anUnknownCommandIsOneLineAndExitCode2() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).startsWith("tend: unknown command 'frobnicate'").hasLineCount(1);
    }

    @Test
    void debugShowsTheStackTraceOfAUsageError() {
        assertThat(run("--debug", "--nosuch")).isEqualTo(2);
        assertThat(err.toString()).startsWith("tend: unknown option: '--nosuch'")
                .contains("picocli.CommandLine$UnmatchedArgumentException");
    }

    @Test
    void debugIsAcceptedOnSubcommandsToo() {
        assertThat(run("probe", "--debug")).isZero();
        assertThat(err.toString()).doesNotContain("tend:");
    }

    @Test
    void aNotFoundErrorExitsWith1() {
        assertThat(run("probe", "--fail", "notfound")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err.toString()).isEqualTo("tend: unknown key \"username\" in bucket CFG" + System.lineSeparator());
    }

    @Test
    void aStoreFailureExitsWith3WithoutAStackTrace() {
        assertThat(run("probe", "--fail", "store")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).isEqualTo("tend: disk full writing /tmp/kv" + System.lineSeparator());
    }

    @Test
    void aBugExitsWith3AndPointsToDebug() {
        assertThat(run("probe", "--fail", "bug")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).isEqualTo("tend: internal error: java.lang.IllegalStateException: boom"
                + " (run with --debug for details)" + System.lineSeparator());
    }

    @Test
    void aBugWithDebugShowsTheStackTrace() {
        assertThat(run("--debug", "probe", "--fail", "bug")).isEqualTo(ExitCodes.FAILURE);
        assertThat(err.toString()).contains("tend: internal error: java.lang.IllegalStateException: boom",
                "at dev.tend.cli.CliTest$Probe.call");
    }

    @Test
    void aBadDurationIsAUsageErrorWithTheParsersHint() {
        assertThat(run("probe", "--ttl", "10")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).isEqualTo("tend: invalid value for option '--ttl': invalid duration \"10\":"
                + " add a unit, e.g. 10s" + System.lineSeparator());
    }

    @Test
    void aBadSizeIsAUsageError() {
        assertThat(run("probe", "--size", "10K")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("tend: invalid value for option '--size': invalid size \"10K\":")
                .hasLineCount(1);
    }

    @Test
    void goodDurationsAndSizesAreConverted() {
        Probe probe = new Probe();
        int code = new Cli(new PrintWriter(out), new PrintWriter(err), Map.of(), List.of(probe))
                .execute("probe", "--ttl", "1d12h", "--size", "10KiB");
        assertThat(code).isZero();
        assertThat(probe.ttl).isEqualTo(Duration.ofHours(36));
        assertThat(probe.size).isEqualTo(10240L);
    }

    @Test
    void exitCodesFollowTheErrorTypes() {
        assertThat(ExitCodes.of(new UnknownKeyException("B", "k"))).isEqualTo(1);
        assertThat(ExitCodes.of(new dev.tend.kv.UnknownBucketException("B"))).isEqualTo(1);
        assertThat(ExitCodes.of(new dev.tend.kv.InvalidNameException("bad"))).isEqualTo(2);
        assertThat(ExitCodes.of(new dev.tend.kv.InvalidConfigException("bad"))).isEqualTo(2);
        assertThat(ExitCodes.of(new StoreException("io"))).isEqualTo(3);
        assertThat(ExitCodes.of(new dev.tend.kv.WrongRevisionException("B", "k", 1, 2))).isEqualTo(3);
        assertThat(ExitCodes.of(new RuntimeException())).isEqualTo(3);
    }

    @Test
    void debugIsFoundBeforeADoubleDash() {
        assertThat(Cli.wantsDebug("--debug")).isTrue();
        assertThat(Cli.wantsDebug("probe", "--debug")).isTrue();
        assertThat(Cli.wantsDebug("--", "--debug")).isFalse();
        assertThat(Cli.wantsDebug("--debugx")).isFalse();
    }
}
