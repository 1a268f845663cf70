package dev.tend.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend config}: each setting's value and source as the commands resolve them, its JSON and its errors. The
 * log rows read the command line's {@code --log-level}, {@code --debug} and {@code --log-format} from its arguments,
 * not from the logger context the tests of this JVM share.
 */
class ConfigCommandTest {

    @TempDir
    Path tmp;

    private Path file;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "XDG_CONFIG_HOME",
                tmp.resolve("config").toString(), "XDG_RUNTIME_DIR", "/run/user/1000"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private int run(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "config";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Cli(new PrintWriter(out), new PrintWriter(err), env).execute(all);
    }

    private void config(String text) throws IOException {
        file = tmp.resolve("config/tend/tend.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** The line of {@code key}, its columns split on runs of spaces. */
    private String[] line(String key) {
        return out.toString().lines().filter(l -> l.startsWith(key + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + key + " in\n" + out)).split(" {2,}");
    }

    @Test
    void eachSettingWithWhereItCameFrom() throws IOException {
        config("# Tend\nstore: " + tmp.resolve("kv") + "\nsocket: run/agent.sock\nstate: /file-state\nlog:\n"
                + "  format: json\n");
        int code = run(env("TEND_STATE", "/env-state", "TEND_IDENTITY", "web1"), "--machines", "/flag-machines");
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(line("store")).containsExactly("store", tmp.resolve("kv").toString(), file + ":2");
        assertThat(line("socket")).containsExactly("socket", tmp.resolve("config/tend/run/agent.sock").toString(),
                file + ":3");
        assertThat(line("state")).containsExactly("state", "/env-state", "env TEND_STATE");
        assertThat(line("machines")).containsExactly("machines", "/flag-machines", "flag --machines");
        assertThat(line("identity")).containsExactly("identity", "web1", "env TEND_IDENTITY");
        assertThat(line("facts")).containsExactly("facts", "-", "default");
        assertThat(line("store_mode")).containsExactly("store_mode", "owner", "default");
        assertThat(line("log.format")).containsExactly("log.format", "json", file + ":6");
        assertThat(out.toString().lines()).extracting(l -> l.split(" ")[0]).containsExactly("store", "store_mode",
                "events_prefix", "machines", "state", "socket", "plugins", "facts", "identity", "listen", "log.level",
                "log.format");
    }

    @Test
    void json() throws IOException {
        config("socket: /file.sock\n");
        assertThat(run(env("TEND_LISTEN", ":9100"), "--json")).as(err.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("files").get(0).get("path").asText()).isEqualTo(file.toString());
        assertThat(root.get("files").get(0).get("exists").asBoolean()).isTrue();
        JsonNode socket = root.get("settings").get(5);
        assertThat(socket.get("key").asText()).isEqualTo("socket");
        assertThat(socket.get("value").asText()).isEqualTo("/file.sock");
        assertThat(socket.get("source").asText()).isEqualTo("file");
        assertThat(socket.get("file").asText()).isEqualTo(file.toString());
        assertThat(socket.get("line").asInt()).isEqualTo(1);
        assertThat(socket.get("env_var").asText()).isEqualTo("TEND_SOCKET");
        JsonNode listen = root.get("settings").get(9);
        assertThat(listen.get("source").asText()).isEqualTo("env");
        assertThat(listen.get("env").asText()).isEqualTo("TEND_LISTEN");
        JsonNode facts = root.get("settings").get(7);
        assertThat(facts.get("value").isNull()).isTrue();
        assertThat(facts.get("source").asText()).isEqualTo("default");
    }

    @Test
    void anUnknownKeyIsAWarningWithItsLine() throws IOException {
        config("socket: /a.sock\nsockt: /b.sock\n");
        assertThat(run(env())).isZero();
        assertThat(err).hasToString("tend: warning: " + file + ":2: unknown key \"sockt\", which no command reads"
                + " (see docs/configuration.md)\n");
    }

    @Test
    void aBadValueIsTheCommandsOneLineError() throws IOException {
        config("listen: 127.0.0.1\n");
        assertThat(run(env())).isEqualTo(2);
        assertThat(err.toString()).startsWith("tend: " + file + ":1: listen: bad listen address \"127.0.0.1\"")
                .hasLineCount(1);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aBadLogLevelInTheFileNamesItsLine() throws IOException {
        config("log:\n  level: loud\n");
        assertThat(run(env())).isEqualTo(2);
        assertThat(err).hasToString("tend: " + file + ":2: log.level must be error, warn, info, debug, trace, not"
                + " \"loud\"\n");
    }

    @Test
    void theCommandLinesLogLevelAndFormatWinOverTheFile() throws IOException {
        config("log:\n  level: loud\n  format: text\n");
        int code = new Cli(new PrintWriter(out), new PrintWriter(err), env()).execute("--log-level", "TRACE",
                "--log-format=json", "config");
        assertThat(code).as(err.toString()).isZero();
        assertThat(line("log.level")).containsExactly("log.level", "trace", "flag --log-level");
        assertThat(line("log.format")).containsExactly("log.format", "json", "flag --log-format");
    }
}
