package dev.tend.machine.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Writes machine directories for agent tests: small valid machines and broken ones. */
final class MachineDirs {

    private final Path root;

    MachineDirs(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** A two-state machine {@code name} with one probe watcher, written into directory {@code dir}. */
    static String machine(String name, String version) {
        return """
                name: %s
                version: "%s"
                initial_state: idle
                transitions:
                  - name: go
                    from: [idle]
                    destination: busy
                  - name: back
                    from: [busy]
                    destination: idle
                watchers:
                  - name: probe
                    type: probe
                    state_match: [idle, busy]
                """.formatted(name, version);
    }

    /** A machine {@code name} whose transition {@code follow} fires when machine {@code leader} fires {@code event}. */
    static String follower(String name, String leader, String event) {
        return """
                name: %s
                version: "1.0.0"
                initial_state: waiting
                transitions:
                  - name: follow
                    from: [waiting]
                    destination: followed
                    subscribe:
                      - machine_name: %s
                        event: %s
                watchers:
                  - name: probe
                    type: probe
                """.formatted(name, leader, event);
    }

    /** A file that does not load: its watcher names a transition that does not exist. */
    static final String BROKEN = """
            name: broken
            version: "1.0.0"
            initial_state: idle
            transitions:
              - name: go
                from: [idle]
                destination: busy
            watchers:
              - name: probe
                type: probe
                success_transition: nowhere
            """;

    /** Writes {@code yaml} as {@code <root>/<dir>/machine.yaml} (atomically, as editors and config tools do). */
    Path write(String dir, String yaml) {
        try {
            Path d = Files.createDirectories(root.resolve(dir));
            Path tmp = d.resolve(".machine.yaml.tmp");
            Files.writeString(tmp, yaml);
            return Files.move(tmp, d.resolve("machine.yaml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path add(String dir, String name) {
        return write(dir, machine(name, "1.0.0"));
    }

    void remove(String dir) {
        try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
