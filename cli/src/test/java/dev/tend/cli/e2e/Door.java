package dev.tend.cli.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The door machine the end-to-end tests run: closed --open--> opened --close--> closed ({@link #BASE}), with the
 * watchers, or more transitions, a test adds after it.
 */
final class Door {

    /** Name, version, initial state and the transitions open and close; a test's own lines follow. */
    static final String BASE = """
            name: door
            version: "1.0.0"
            initial_state: closed
            transitions:
              - name: open
                from: [closed]
                destination: opened
              - name: close
                from: [opened]
                destination: closed
            """;

    /** A door opened and closed by hand; its watcher records when it runs while the door is open. */
    static final String RECORDING = BASE + """
            watchers:
              - name: sensor
                type: test
                state_match: [opened]
                properties:
                  record: seen.txt
                  message: draught
            """;

    /** A door that a timer closes after an hour open. */
    static final String TIMED = BASE + """
            watchers:
              - name: left_open
                type: timer
                state_match: [opened]
                fail_transition: close
                properties:
                  timer: 1h
            """;

    private Door() {
    }

    /** Writes {@code yaml} as {@code machines/door/machine.yaml}. */
    static void write(Path machines, String yaml) throws IOException {
        Files.createDirectories(machines.resolve("door"));
        Files.writeString(machines.resolve("door/machine.yaml"), yaml);
    }
}
