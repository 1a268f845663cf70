package dev.tend.machine.spi;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.load.MachineLoader;
import dev.tend.machine.agent.MachineGroup;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.event.WatcherStateEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lane contract as a plugin sees it: a watcher built into a jar at test time ({@code src/test/plugins/lane-probe}),
 * loaded from a plugins directory as the agent loads plugins, run by a machine group on the agent's own threads. Its
 * callbacks come from its lane's timers, its blocking work, another thread handing tasks over, and the engine (pokes from
 * two threads making transitions, status asked meanwhile); it counts overlaps, order and every callback in plain fields.
 */
class PluginLaneContractTest {

    private static final Path PROBE = Path.of("src/test/plugins/lane-probe/src/main");
    private static final int TASKS = 300;
    private static final int TRANSITIONS_PER_THREAD = 300;
    private static final int STATUS_ASKS = 50;

    @TempDir
    Path tmp;

    @Test
    void aPluginsCallbacksFromEverySourceNeverOverlapAndTasksHandedOverKeepTheirOrder() throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        PluginJar.build(PROBE.resolve("java"), PROBE.resolve("resources"), plugins.resolve("lane-probe.jar"));
        Path machine = Files.createDirectories(tmp.resolve("machines/probe"));
        Files.writeString(machine.resolve("machine.yaml"), """
                name: probe
                version: 1.0.0
                initial_state: off
                transitions:
                  - {name: flip, from: [off], destination: on}
                  - {name: flip, from: [on], destination: off}
                watchers:
                  - name: probe
                    type: lane_probe
                    properties: {tasks: %d}
                """.formatted(TASKS));
        BlockingQueue<Map<String, Object>> states = new LinkedBlockingQueue<>();

        try (Plugins loaded = Plugins.load(plugins, getClass().getClassLoader())) {
            WatcherFactory factory = loaded.registry().factory("lane_probe").orElseThrow();
            assertThat(factory.getClass().getClassLoader()).as("loaded from the jar")
                    .isNotSameAs(getClass().getClassLoader());
            MachineDefinition definition = new MachineLoader(loaded.registry()).load(machine);
            try (MachineGroup group = MachineGroup.create(MachineSettings.builder().identity("node")
                    .watchers(loaded.registry()).stateDirectory(tmp.resolve("state"))
                    .events(e -> {
                        if (e instanceof WatcherStateEvent w) {
                            states.add(w.fields());
                        }
                    }).build(), "tend-lanetest")) {
                Machine m = group.add(definition);
                m.start();
                next(states, "started");

                ExecutorService operators = Executors.newFixedThreadPool(2);
                try {
                    List<Future<?>> flipping = new ArrayList<>();
                    for (int t = 0; t < 2; t++) {
                        flipping.add(operators.submit(() -> {
                            for (int i = 0; i < TRANSITIONS_PER_THREAD; i++) {
                                m.transition("flip");
                            }
                            return null;
                        }));
                    }
                    for (int i = 0; i < STATUS_ASKS; i++) {
                        assertThat(m.status().watchers().get(0).state()).containsEntry("overlaps", 0);
                    }
                    for (Future<?> f : flipping) {
                        f.get(20, TimeUnit.SECONDS);
                    }
                } finally {
                    operators.shutdownNow();
                }
                next(states, "done");
                group.remove("probe");
            }
        }

        Map<String, Object> last = next(states, "stopped");
        assertThat(last).containsEntry("overlaps", 0).containsEntry("out_of_order", 0)
                .containsEntry("blocking_failures", 0)
                .containsEntry("timers", TASKS).containsEntry("blocking", TASKS).containsEntry("handed", 2 * TASKS);
        assertThat((int) last.get("pokes")).as("pokes arrive, coalesced").isBetween(1, 2 * TRANSITIONS_PER_THREAD);
        assertThat((int) last.get("asked")).isGreaterThanOrEqualTo(STATUS_ASKS);
        int counted = 2 + 4 * TASKS + (int) last.get("pokes") + (int) last.get("ticks") + (int) last.get("asked");
        assertThat(last).as("no callback lost an update: start, stop and every other one counted")
                .containsEntry("callbacks", counted);
    }

    /** The next state event the probe publishes in {@code phase}, skipping the others; fails after 20 s. */
    private static Map<String, Object> next(BlockingQueue<Map<String, Object>> states, String phase)
            throws InterruptedException {
        while (true) {
            Map<String, Object> state = states.poll(20, TimeUnit.SECONDS);
            assertThat(state).as("a state event in phase " + phase).isNotNull();
            if (phase.equals(state.get("phase"))) {
                return state;
            }
        }
    }
}
