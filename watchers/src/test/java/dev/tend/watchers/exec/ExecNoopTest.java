package dev.tend.watchers.exec;

import ch.qos.logback.classic.Level;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Noop mode: the command is found and logged, never run, and the machine goes on as after a success. */
@ResourceLock(value = "dev.tend.machine.m.check", mode = ResourceAccessMode.READ_WRITE)
class ExecNoopTest {

    @TempDir
    Path root;

    @Test
    void theCommandIsLoggedNotRunAndTheMachineMovesAsOnSuccess() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root); LogCapture log = LogCapture.of("dev.tend.machine.m.check")) {
            Path marker = root.resolve("marker");
            Path script = m.script("touch.sh", "#!/bin/sh\ntouch " + marker + "\necho '{\"ran\": true}'\n");
            m.noop();
            m.start(ExecRunTest.watcher("command: ./touch.sh --flag 'two words'", "parse_as_data: true",
                    "governor: never_taken"));
            m.machine().transition("start");
            m.awaitState("passed");

            assertThat(marker).doesNotExist();
            assertThat(log.lines(Level.INFO)).contains("noop: would run " + script.toRealPath()
                    + " --flag 'two words' (machine m watcher check)");
            WatcherStateEvent event = m.states().get(0);
            assertThat(event.fields()).containsEntry("previous_outcome", "success")
                    .as("nothing exited").doesNotContainKey("exit_code");
            assertThat(m.machine().status().data()).as("no data from a command that did not run").isEmpty();
            assertThat(m.tmp).as("no run files").isEmptyDirectory();
            assertThat(m.state.resolve("machines/m/machine_data.json")).doesNotExist();
        }
    }

    @Test
    void aCommandThatCannotBeFoundStillFails() throws Exception {
        try (ExecMachine m = ExecMachine.realTime(root)) {
            m.noop();
            m.start(ExecRunTest.watcher("command: no-such-command-anywhere"));
            m.machine().transition("start");
            m.awaitState("failed");
            assertThat(m.states().get(0).fields()).containsEntry("previous_outcome", "error");
            assertThat(Files.list(m.dir)).allMatch(p -> p.getFileName().toString().equals("machine.yaml"));
        }
    }
}
