package dev.tend.machine.agent;

import dev.tend.machine.MachineSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.tend.machine.agent.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the agent ends every thread it started. It looks at every live {@code tend-} thread of the JVM, which
 * other test classes start too, so the class runs alone ({@code @Isolated}).
 */
@Isolated
class AgentThreadsTest {

    @TempDir
    Path tmp;

    @Test
    void closeStopsEveryMachineAndEveryThread() throws Exception {
        MachineDirs dirs = new MachineDirs(tmp.resolve("machines"));
        ProbeWatchers probes = new ProbeWatchers();
        List<String> before = tendThreads();
        dirs.add("one", "one");
        dirs.add("two", "two");
        Agent agent = Agent.builder(MachineSettings.builder()
                        .stateDirectory(tmp.resolve("state"))
                        .identity("test-node")
                        .watchers(probes.registry())
                        .build())
                .machines(dirs.root())
                .strictPermissions(false)
                .build();
        try {
            agent.start();
            String one = agent.machine("one").orElseThrow().instanceId();
            await("watchers started", () -> probes.callNames("one").contains("start"));
            assertThat(tendThreads()).contains("tend-agent-scan", "tend-agent-watch");
            agent.close();
            assertThat(agent.machines()).isEmpty();
            assertThat(probes.calls("one")).contains("stop@" + one);
            await("no tend- threads left", () -> {
                List<String> now = new ArrayList<>(tendThreads());
                now.removeAll(before);
                return now.isEmpty();
            });
        } finally {
            agent.close(); // idempotent
        }
    }

    private static List<String> tendThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("tend-")).toList();
    }
}
