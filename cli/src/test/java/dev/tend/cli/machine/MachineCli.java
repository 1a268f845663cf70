package dev.tend.cli.machine;

import dev.tend.cli.Cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code tend machine ...} in-process, capturing stdout and stderr, and writes machine directories. The watcher
 * types are those on the test class path: the runtime test-jar's {@code test} type.
 */
final class MachineCli {

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

    private final Path dir;

    MachineCli(Path dir) {
        this.dir = dir;
    }

    /** {@code tend machine args...} */
    Result machine(String... args) {
        List<String> all = new ArrayList<>(List.of("machine"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("NO_COLOR", "1", "TZ", "UTC", "HOME", dir.resolve("home").toString());
        int code = new Cli(new ByteArrayInputStream(new byte[0]), out, err, env, q -> null)
                .execute(all.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A machine directory {@code name} holding {@code yaml} as its machine.yaml. */
    Path machineDir(String name, String yaml) throws IOException {
        Path machine = Files.createDirectories(dir.resolve(name));
        Files.writeString(machine.resolve("machine.yaml"), yaml);
        return machine;
    }

    /** The reference's example machine (§1.8) with watchers of the {@code test} type. */
    static final String HVAC = """
            name: HVAC
            version: "1.0.0"
            initial_state: unknown
            splay_start: 30
            transitions:
              - {name: variables_unknown, from: [unknown, idle, running], destination: unknown}
              - {name: variables_changed, from: [unknown, idle, running], destination: idle}
              - {name: air_good, from: [idle, running], destination: idle}
              - {name: air_bad,  from: [idle, running], destination: running,
                 subscribe: [{machine_name: humidity_sensor, event: critical}]}
            watchers:
              - {name: variables, type: test, state_match: [unknown, idle, running],
                 fail_transition: variables_unknown, success_transition: variables_changed,
                 interval: 5s, properties: {mode: once}}
              - {name: monitor, type: test, state_match: [idle, running],
                 foreign_state_required: [{machine_name: humidity_sensor, state: healthy}],
                 success_transition: air_good, fail_transition: air_bad, interval: 1m}
            """;
}
