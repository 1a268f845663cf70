package dev.tend.machine.agent;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherLane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.tend.machine.agent.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many machines whose watchers only wait run on a bounded number of the group's threads, counted by name: their short
 * blocking work (as a kv watcher opening its watch) queues on the blocking pool, their lanes share the lane pool, and
 * only work that waits as long as something outside takes (a command) gets threads of its own.
 */
class MachineGroupThreadsTest {

    private static final String PREFIX = "tend-threadtest";
    private static final int MACHINES = 300;
    private static final int BLOCKING = 3;

    @TempDir
    Path tmp;

    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private MachineGroup group;

    @AfterEach
    void tearDown() {
        gate.countDown();
        if (group != null) {
            group.close();
        }
    }

    /**
     * A watcher type whose watchers, at start, do one piece of work that waits for the test's gate (on the blocking
     * pool, or as waiting work), then wait for nothing but a timer an hour away.
     */
    private final class GatedWatchers implements WatcherFactory {
        private final String type;
        private final boolean waiting;

        GatedWatchers(String type, boolean waiting) {
            this.type = type;
            this.waiting = waiting;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public List<PropertySpec> properties() {
            return List.of();
        }

        @Override
        public Watcher create(WatcherContext context) {
            return new Watcher() {
                private WatcherLane.Scheduled timer;
                private boolean stopped;

                @Override
                public void start() {
                    if (waiting) {
                        context.lane().runWaiting(this::waitForGate, this::opened);
                    } else {
                        context.lane().runBlocking(this::waitForGate, this::opened);
                    }
                }

                private Boolean waitForGate() throws InterruptedException {
                    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        gate.await();
                        return true;
                    } finally {
                        running.decrementAndGet();
                    }
                }

                private void opened(Boolean result, Throwable failure) {
                    if (failure == null) {
                        answered.incrementAndGet();
                    }
                    if (failure == null && !stopped) { // an answer may come after the stop
                        timer = context.lane().schedule(Duration.ofHours(1), () -> { });
                    }
                }

                @Override
                public void stateChanged() {
                }

                @Override
                public void stop() {
                    stopped = true;
                    if (timer != null) {
                        timer.cancel();
                    }
                }

                @Override
                public Map<String, Object> currentState() {
                    return Map.of();
                }
            };
        }
    }

    private void startGroup(WatcherFactory type, int machines) throws Exception {
        group = MachineGroup.create(MachineSettings.builder().identity("node")
                .watchers(WatcherRegistry.of(List.of(type))).stateDirectory(tmp.resolve("state"))
                .blockingThreads(BLOCKING).build(), PREFIX);
        WatcherDefinition watcher = new WatcherDefinition("w", type.type(), List.of(), List.of(), "", "", Duration.ZERO,
                Duration.ZERO, null, 1);
        for (int i = 0; i < machines; i++) {
            String name = "m" + i;
            group.add(new MachineDefinition(name, "1.0.0", "idle", Duration.ZERO,
                    List.of(new TransitionDefinition("go", List.of("idle"), "busy", "", List.of())), List.of(watcher),
                    tmp.resolve(name), "sha-" + name)).start();
        }
    }

    private static long threads(String pool) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(PREFIX + "-" + pool + "-")).count();
    }

    private static long allThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(PREFIX + "-")).count();
    }

    @Test
    void manyWatchersWaitingForTheirStoreRunOnABoundedNumberOfThreads() throws Exception {
        startGroup(new GatedWatchers("gated", false), MACHINES);
        await("the blocking pool's threads all busy", () -> running.get() == BLOCKING);
        int cpuThreads = MachineGroup.cpuThreads(Runtime.getRuntime().availableProcessors());
        assertThat(threads("blocking")).isEqualTo(BLOCKING);
        assertThat(threads("lane")).isLessThanOrEqualTo(cpuThreads);
        assertThat(threads("scheduler")).isLessThanOrEqualTo(cpuThreads);
        assertThat(threads("wait")).isZero();
        assertThat(allThreads()).isLessThanOrEqualTo(BLOCKING + 2L * cpuThreads);

        gate.countDown();
        await("every watcher's answer on its lane", () -> answered.get() == MACHINES);
        assertThat(mostRunning.get()).as("never more work at once than blocking threads").isEqualTo(BLOCKING);
        assertThat(threads("blocking")).isLessThanOrEqualTo(BLOCKING);
        assertThat(threads("lane")).isLessThanOrEqualTo(cpuThreads);
        assertThat(threads("wait")).isZero();
    }

    @Test
    void waitingWorkHasThreadsOfItsOwnBesideTheBoundedPool() throws Exception {
        int machines = 3 * BLOCKING;
        startGroup(new GatedWatchers("waits", true), machines);
        await("every machine's waiting work under way at once", () -> running.get() == machines);
        assertThat(threads("wait")).isGreaterThanOrEqualTo(machines);
        assertThat(threads("blocking")).isZero();

        gate.countDown();
        await("every answer", () -> answered.get() == machines);
    }

    @Test
    void longWaitsDoNotHoldUpShortBlockingWork() throws Exception {
        startGroup(new GatedWatchers("waits", true), 2 * BLOCKING);
        await("the waits under way", () -> running.get() == 2 * BLOCKING);
        CountDownLatch shortWork = new CountDownLatch(BLOCKING * 4);
        for (int i = 0; i < BLOCKING * 4; i++) {
            group.environment().blockingExecutor().execute(shortWork::countDown);
        }
        await("short work done while the waits go on", () -> shortWork.getCount() == 0);
        assertThat(running.get()).isEqualTo(2 * BLOCKING);
    }
}
