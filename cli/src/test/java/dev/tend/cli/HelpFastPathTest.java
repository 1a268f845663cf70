package dev.tend.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Help.Ansi;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The help texts the build rendered ({@link HelpTexts}) are what picocli prints now, for every help command line of
 * the tree, with and without colours, and the fast path ({@link HelpFastPath}) prints them exactly as picocli's path
 * does (stdout, stderr, exit status). A failure here after a change to a command means the texts are stale: the
 * build's {@code process-classes} phase writes them again.
 */
class HelpFastPathTest {

    record Result(int code, String out, String err) {
    }

    static Stream<List<String>> helpLines() {
        return HelpTexts.commandLines().stream();
    }

    @Test
    void theTreeHasItsHelpLines() {
        List<List<String>> lines = HelpTexts.commandLines();
        assertThat(lines).contains(List.of(), List.of("help"), List.of("help", "kv"), List.of("--help"),
                List.of("-h"), List.of("kv", "--help"), List.of("kv", "get", "-h"), List.of("kv", "status", "--help"),
                List.of("machine", "ls", "--help"), List.of("agent", "--help"));
        assertThat(lines).allSatisfy(line -> assertThat(line).noneMatch(word -> word.contains(" ")));
    }

    @ParameterizedTest
    @MethodSource("helpLines")
    void answersAsPicocliDoes(List<String> line) {
        String[] args = line.toArray(String[]::new);
        assertThat(HelpFastPath.parse(args, env(), sink(), sink())).as("served by the help fast path").isNotNull();
        assertThat(run(args, true)).isEqualTo(run(args, false));
    }

    @ParameterizedTest
    @MethodSource("helpLines")
    void theColouredTextIsPicocliFromNow(List<String> line) throws Exception {
        HelpTexts.Rendered now = HelpTexts.render(line, Ansi.ON);
        assertThat(now).isNotNull();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> env = Map.of("CLICOLOR_FORCE", "1");
        int status = HelpFastPath.parse(line.toArray(String[]::new), env, new PrintWriter(out), new PrintWriter(err))
                .call();
        assertThat(new Result(status, out.toString(), err.toString())).isEqualTo(
                new Result(now.status(), now.toErr() ? "" : now.text(), now.toErr() ? now.text() : ""));
        assertThat(now.text()).contains("\u001B[");
    }

    @Test
    void otherShapesGoToPicocli() {
        for (String[] args : List.of(new String[] {"kv", "--store", "/x", "--help"},
                new String[] {"help", "nosuch"}, new String[] {"--version", "--help"},
                new String[] {"kv", "get", "CFG", "k", "--help"}, new String[] {"kv"},
                new String[] {"--help", "--help"}, new String[] {"kv get", "--help"})) {
            assertThat(HelpFastPath.parse(args, env(), sink(), sink())).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void aPicocliPropertyLeavesHelpToPicocli() {
        System.setProperty("picocli.usage.width", "120");
        try {
            assertThat(HelpFastPath.parse(new String[] {"--help"}, env(), sink(), sink())).isNull();
        } finally {
            System.clearProperty("picocli.usage.width");
        }
        assertThat(HelpFastPath.parse(new String[] {"--help"}, env(), sink(), sink())).isNotNull();
    }

    @Test
    void coloursAsPicocliChoosesThem() {
        String linux = "Linux";
        assertThat(HelpColours.enabled(Map.of("NO_COLOR", ""), linux, 17, true)).isFalse();
        assertThat(HelpColours.enabled(Map.of("NO_COLOR", "1", "CLICOLOR_FORCE", "1"), linux, 17, true)).isFalse();
        assertThat(HelpColours.enabled(Map.of("CLICOLOR_FORCE", "1"), linux, 17, false)).isTrue();
        assertThat(HelpColours.enabled(Map.of("CLICOLOR_FORCE", "0"), linux, 17, false)).isFalse();
        assertThat(HelpColours.enabled(Map.of("CLICOLOR", "0"), linux, 17, true)).isFalse();
        assertThat(HelpColours.enabled(Map.of("ConEmuANSI", "OFF"), linux, 17, true)).isFalse();
        assertThat(HelpColours.enabled(Map.of(), linux, 17, true)).isTrue();
        assertThat(HelpColours.enabled(Map.of(), linux, 17, false)).isFalse();
        assertThat(HelpColours.enabled(Map.of(), linux, 22, true)).isNull();
        assertThat(HelpColours.enabled(Map.of(), "Windows 11", 17, true)).isNull();
        // This process's own environment, as picocli reads it.
        Boolean here = HelpColours.enabled(System.getenv());
        if (here != null && System.getProperty("picocli.ansi") == null) {
            assertThat(here).isEqualTo(Ansi.AUTO.enabled());
        }
    }

    @Test
    void theIndexNamesOnlyTextsThatExist() throws IOException {
        String index = resource(HelpTexts.INDEX);
        assertThat(index).isNotEmpty();
        for (String entry : index.split("\n")) {
            String[] fields = entry.split(" ");
            assertThat(resource(fields[2] + ".txt")).isNotEmpty();
            assertThat(resource(fields[3] + ".txt")).isNotEmpty();
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = HelpFastPath.class.getResourceAsStream("help/" + name)) {
            assertThat(in).as("help/" + name + " (written by the build's process-classes phase)").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("NO_COLOR", "1");
        return env;
    }

    private static PrintWriter sink() {
        return new PrintWriter(new StringWriter());
    }

    private static Result run(String[] args, boolean fastPaths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), out, err, env(), q -> null);
        int code = (fastPaths ? cli : cli.withoutFastPaths()).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
