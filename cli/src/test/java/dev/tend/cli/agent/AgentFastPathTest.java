package dev.tend.cli.agent;

import dev.tend.cli.Cli;
import dev.tend.cli.store.NatsFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tend.cli.kv.KvFastPathTest.assertMatches;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend agent} without picocli ({@link AgentFastPath}): its table says what picocli's model says, it sets the
 * fields picocli sets for every plain command line, it leaves every other shape to picocli, and where the agent
 * refuses to start both paths answer alike (running it is {@code AgentIT}'s job: it needs a signal to end).
 */
class AgentFastPathTest {

    @TempDir
    Path tmp;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
        env.put("TEND_STORE", tmp.resolve("kv").toString());
        env.put("NO_COLOR", "1");
        return env;
    }

    @Test
    void theTableMatchesPicocliModel() {
        Set<String> leftToPicocli = new HashSet<>(Set.of("--help", "-h", "--version", "-V"));
        leftToPicocli.addAll(NatsFlags.NAMES);
        assertMatches("agent", new CommandLine(new AgentCommand(Map.of())).getCommandSpec(), AgentFastPath.SHAPE,
                leftToPicocli);
    }

    @Test
    void setsTheFieldsPicocliSets() throws IllegalAccessException {
        for (List<String> args : List.<List<String>>of(
                List.of(),
                List.of("--machines", "/m", "--state", "/s", "--plugins", "/p", "--socket", "/x.sock"),
                List.of("--machines=/m", "--insecure-permissions", "--identity", "node 1", "--facts", "f.yaml",
                        "--overrides", "o.json"),
                List.of("--store", "nats://h:4222", "--events-prefix", "fleet.events", "--store-mode", "group"),
                List.of("--blocking-threads", "12", "--textfile-dir", "/var/lib/prom", "--store=/srv/kv"),
                List.of("--blocking-threads", "0", "--identity", " "),
                List.of("--blocking-threads", "999999999", "--machines", "relative/dir"),
                List.of("--manage-machines", "--machines-bucket", "B", "--machines-key", "k", "--machines-signing-key",
                        "keys/fleet.pub", "--machines-check-interval", "2s", "--machines-purge", "false",
                        "--machines-target", "/srv/m"),
                List.of("--listen", "127.0.0.1:9100", "--state", "/s"),
                List.of("--noop", "--machines", "/m"),
                List.of("--listen=:0"))) {
            String[] argv = new String[args.size() + 1];
            argv[0] = "agent";
            for (int i = 0; i < args.size(); i++) {
                argv[i + 1] = args.get(i);
            }
            AgentCommand fast = AgentFastPath.parse(argv, env());
            assertThat(fast).as("served: %s", args).isNotNull();
            AgentCommand picocli = new AgentCommand(env());
            new CommandLine(picocli).parseArgs(args.toArray(String[]::new));
            for (Field f : AgentCommand.class.getDeclaredFields()) {
                if (f.isAnnotationPresent(Option.class)) {
                    f.setAccessible(true);
                    assertThat(f.get(fast)).as("%s: %s", args, f.getName()).isEqualTo(f.get(picocli));
                }
            }
            assertThat(fast.paths()).as("%s", args).isEqualTo(picocli.paths());
        }
    }

    @Test
    void leavesEveryOtherShapeToPicocli() {
        for (List<String> args : List.<List<String>>of(
                List.of("agent", "--help"),
                List.of("agent", "-h"),
                List.of("agent", "--debug"),
                List.of("agent", "extra"),
                List.of("agent", "--user", "u"),
                List.of("agent", "--tls-ca", "/ca.pem"),
                List.of("agent", "--machines"),
                List.of("agent", "--machines", ""),
                List.of("agent", "--machines", "/m", "--machines", "/n"),
                List.of("agent", "--machines", "-m"),
                List.of("agent", "--machines", "@args"),
                List.of("agent", "--machines", "/m\0x"),
                List.of("agent", "--insecure-permissions=true"),
                List.of("agent", "--insecure-permissions", "--insecure-permissions"),
                List.of("agent", "--blocking-threads", "-1"),
                List.of("agent", "--blocking-threads", "+3"),
                List.of("agent", "--blocking-threads", "03"),
                List.of("agent", "--blocking-threads", "many"),
                List.of("agent", "--blocking-threads", "9999999999"),
                List.of("agent", "--", "--machines", "/m"),
                List.of("agnet"),
                List.of())) {
            assertThat(AgentFastPath.parse(args.toArray(String[]::new), env())).as("%s", args).isNull();
        }
    }

    /** What one run of {@code tend ARGS} gave: exit status, stdout, stderr. */
    record Result(int code, String out, String err) {
    }

    private Result run(boolean fastPaths, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), out, err, env(), q -> null);
        int code = (fastPaths ? cli : cli.withoutFastPaths()).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesToStartAsPicocliDoes() throws IOException {
        Path machines = Files.createDirectories(tmp.resolve("machines"));
        Files.writeString(tmp.resolve("file"), "not a directory\n");
        List<String> common = List.of("--state", tmp.resolve("state").toString(), "--socket",
                tmp.resolve("agent.sock").toString(), "--plugins", tmp.resolve("plugins").toString());
        List<List<String>> cases = List.of(
                List.of("--identity", " "),
                List.of("--blocking-threads", "0"),
                List.of("--blocking-threads", "100000"),
                List.of("--textfile-dir", tmp.resolve("nowhere").toString()),
                List.of("--textfile-dir", tmp.resolve("file").toString()),
                List.of("--store", tmp.resolve("kv").toString(), "--events-prefix", "fleet.events"),
                List.of("--store-mode", "bogus"),
                List.of("--listen", "localhost"),
                List.of("--listen", "127.0.0.1:http"),
                List.of("--listen", "bad host:9100"),
                List.of("--store", "nats://127.0.0.1:1", "--events-prefix", "a..b"),
                List.of("--machines", tmp.resolve("file").resolve("machines").toString()),
                List.of("--machines", tmp.resolve("file").toString()));
        for (List<String> c : cases) {
            List<String> args = new ArrayList<>(List.of("agent"));
            args.addAll(c);
            if (!c.contains("--machines")) {
                args.addAll(List.of("--machines", machines.toString()));
            }
            args.addAll(common);
            String[] argv = args.toArray(String[]::new);
            assertThat(AgentFastPath.parse(argv, env())).as("served: %s", c).isNotNull();
            Result fast = run(true, argv);
            Result picocli = run(false, argv);
            assertThat(fast).as("%s", Arrays.toString(argv)).isEqualTo(picocli);
            assertThat(fast.code()).as("%s: %s", c, fast.err()).isNotZero();
            assertThat(fast.err()).as("%s", c).startsWith("tend: ").hasLineCount(1);
            assertThat(tmp.resolve("agent.sock")).as("%s: nothing started", c).doesNotExist();
        }
    }
}
