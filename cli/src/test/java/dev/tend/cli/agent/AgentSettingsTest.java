package dev.tend.cli.agent;

import dev.tend.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend agent}'s settings from {@code TEND_<KEY>} and the config file: its locations follow them, and a bad
 * value stops it before it runs anything, in one line naming where the value came from.
 */
class AgentSettingsTest {

    @TempDir
    Path tmp;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "XDG_CONFIG_HOME",
                tmp.resolve("config").toString(), "XDG_RUNTIME_DIR", "/run/user/1000",
                "TEND_STORE", tmp.resolve("kv").toString()));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private String run(Map<String, String> env, int expectedCode, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new Cli(new PrintWriter(out), new PrintWriter(err), env).execute(args);
        assertThat(code).as(err.toString()).isEqualTo(expectedCode);
        assertThat(out.toString()).isEmpty();
        return err.toString();
    }

    private Path config(String text) throws IOException {
        Path file = tmp.resolve("config/tend/tend.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void theLocationsFollowTheEnvironmentThenTheFileThenTheFlags() throws IOException {
        config("machines: m\nstate: /file-state\nsocket: /file.sock\nplugins: /file-plugins\n");
        AgentCommand command = new AgentCommand(env("TEND_STATE", "/env-state"));
        new CommandLine(command).parseArgs("--plugins", "/flag-plugins");
        assertThat(List.of(command.paths().machines(), command.paths().state(), command.paths().socket(),
                command.paths().plugins())).containsExactly(tmp.resolve("config/tend/m"), Path.of("/env-state"),
                Path.of("/file.sock"), Path.of("/flag-plugins"));
    }

    @Test
    void aBadListenAddressFromTheEnvironmentNamesTheVariable() {
        assertThat(run(env("TEND_LISTEN", "127.0.0.1"), 2, "agent")).startsWith("tend: TEND_LISTEN: bad listen "
                + "address \"127.0.0.1\"").endsWith("\n").hasLineCount(1);
    }

    @Test
    void aBadLogLevelFromTheEnvironmentNamesTheVariable() {
        assertThat(run(env("TEND_LOG_LEVEL", "loud"), 2, "agent"))
                .isEqualTo("tend: TEND_LOG_LEVEL must be error, warn, info, debug, trace, not \"loud\"\n");
    }

    @Test
    void aSocketThatIsNotAPathNamesTheFileAndLine() throws IOException {
        Path file = config("store: " + tmp.resolve("kv") + "\nsocket: {path: /x}\n");
        assertThat(run(env(), 2, "agent")).isEqualTo("tend: " + file + ":2: socket must be a path, not a mapping\n");
    }
}
