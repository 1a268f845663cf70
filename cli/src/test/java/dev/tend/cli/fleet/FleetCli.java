package dev.tend.cli.fleet;

import dev.tend.cli.Cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code tend fleet ...} in-process, capturing stdout and stderr, and writes machine directories. */
final class FleetCli {

    /** What one run gave. */
    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** A small valid machine (a timer watcher), named {@code hello}. */
    static final String HELLO = """
            name: hello
            version: 1.0.0
            initial_state: IDLE
            transitions:
              - name: tick
                from: [IDLE]
                destination: IDLE
            watchers:
              - name: ticker
                type: timer
                state_match: [IDLE]
                fail_transition: tick
                properties:
                  timer: 1h
            """;

    private final Path dir;
    private final Map<String, String> env = new HashMap<>();

    FleetCli(Path dir) {
        this.dir = dir;
        env.putAll(Map.of("NO_COLOR", "1", "TZ", "UTC", "HOME", dir.resolve("home").toString(),
                "XDG_CONFIG_HOME", dir.resolve("config").toString(), "TEND_STORE", dir.resolve("kv").toString()));
    }

    /** {@code tend fleet args...} */
    Result fleet(String... args) {
        List<String> all = new ArrayList<>(List.of("fleet"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new ByteArrayInputStream(new byte[0]), out, err, Map.copyOf(env), q -> null)
                .execute(all.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A machine directory {@code name} holding {@code yaml} as its machine.yaml. */
    Path machineDir(String name, String yaml) throws IOException {
        Path machine = Files.createDirectories(dir.resolve(name));
        Files.writeString(machine.resolve("machine.yaml"), yaml);
        return machine;
    }
}
