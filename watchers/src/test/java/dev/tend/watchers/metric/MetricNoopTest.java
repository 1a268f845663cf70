package dev.tend.watchers.metric;

import ch.qos.logback.classic.Level;
import dev.tend.machine.WatcherStatus;
import dev.tend.machine.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Noop mode: the command is found and logged, never run; nothing is published, stored or written. */
class MetricNoopTest {

    @TempDir
    Path root;

    @Test
    void theCommandIsLoggedNotRunAndNothingIsReported() throws Exception {
        Path textfiles = Files.createDirectories(root.resolve("textfiles"));
        Path marker = root.resolve("marker");
        try (MetricMachine m = new MetricMachine(root, "noopmetric").textfileDirectory(textfiles);
             LogCapture log = LogCapture.of("dev.tend.machine.noopmetric.gather")) {
            Path script = m.script("metric.sh", "#!/bin/sh\ntouch " + marker + "\necho 'OK | v=1'\n");
            m.noop();
            m.start("properties: {command: ./metric.sh, store: true}");
            String line = "noop: would run " + script.toRealPath() + " (machine noopmetric watcher gather)";
            m.await("the noop line", () -> log.lines(Level.INFO).contains(line));
            m.await("the run recorded", () -> m.machine().status().watchers().stream()
                    .map(WatcherStatus::lastRun).anyMatch(r -> r != null && r.outcome().equals("noop")));

            assertThat(marker).doesNotExist();
            assertThat(m.states()).as("no metrics: no state event").isEmpty();
            assertThat(m.machine().status().data()).doesNotContainKey("metric");
            assertThat(textfiles).as("no Prometheus textfile in noop mode").isEmptyDirectory();
        }
    }
}
