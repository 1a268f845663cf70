package dev.tend.machine.engine;

import ch.qos.logback.classic.Level;
import dev.tend.machine.Machine;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.testing.LogCapture;
import dev.tend.machine.testing.ManualExecutor;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's side of a watcher's lane: its calls share the lane with the watcher's own tasks, and how it stops. */
@ResourceLock(value = "dev.tend.machine.engine.WatcherLifecycle", mode = ResourceAccessMode.READ_WRITE)
class MachineLaneTest {

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    /** Type {@code lane}: logs each call and whether it ran on the lane; what it does on stop is the test's. */
    private final class LaneWatchers implements WatcherFactory {
        private final Consumer<WatcherContext> onStart;
        private final Consumer<WatcherContext> onStop;

        LaneWatchers(Consumer<WatcherContext> onStart, Consumer<WatcherContext> onStop) {
            this.onStart = onStart;
            this.onStop = onStop;
        }

        @Override
        public String type() {
            return "lane";
        }

        @Override
        public List<PropertySpec> properties() {
            return List.of();
        }

        @Override
        public Watcher create(WatcherContext context) {
            EngineWatcherLane lane = (EngineWatcherLane) context.lane();
            return new Watcher() {
                @Override
                public void start() {
                    log.add("start on lane: " + lane.isRunningOnCurrentThread());
                    onStart.accept(context);
                }

                @Override
                public void stateChanged() {
                    log.add("stateChanged");
                }

                @Override
                public void stop() {
                    log.add("stop on lane: " + lane.isRunningOnCurrentThread());
                    onStop.accept(context);
                }

                @Override
                public void delete() {
                    log.add("delete on lane: " + lane.isRunningOnCurrentThread());
                    onStop.accept(context);
                }

                @Override
                public Map<String, Object> currentState() {
                    return Map.of("asked on lane", lane.isRunningOnCurrentThread());
                }
            };
        }
    }

    private Machine machine(EngineFixture f, WatcherFactory factory) {
        return f.create(TestMachines.machine("m", dir).initial("a")
                .transition("go", "b", "a")
                .watcher(TestMachines.watcher("w", "lane"))
                .build(), factory);
    }

    @Test
    void theEnginesCallsRunOnTheWatchersLaneStatusToo() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = machine(f, new LaneWatchers(c -> { }, c -> { }));
        m.start();
        f.scheduler.runDue();

        assertThat(m.status().watchers().get(0).state()).containsEntry("asked on lane", true);
        m.stop();
        assertThat(log).containsExactly("start on lane: true", "stop on lane: true");
    }

    @Test
    void aWatcherThatStopsItsMachineFromItsOwnLaneTaskDoesNotWaitForItself() {
        EngineFixture f = new EngineFixture(dir);
        AtomicReference<Machine> machine = new AtomicReference<>();
        Machine m = machine(f, new LaneWatchers(
                c -> c.lane().schedule(Duration.ofSeconds(1), () -> {
                    log.add("giving up");
                    machine.get().stop();
                    log.add("stop returned");
                }),
                c -> c.lane().runBlocking(() -> "ended", (r, e) -> log.add("blocking work " + r))));
        machine.set(m);
        m.start();
        f.scheduler.runDue();

        try (LogCapture warnings = LogCapture.of(WatcherLifecycle.class)) {
            f.scheduler.advance(Duration.ofSeconds(1));
            assertThat(warnings.lines(Level.WARN)).as("no wait for a stop that cannot happen").isEmpty();
        }
        assertThat(log).containsExactly("start on lane: true", "giving up", "stop on lane: true", "stop returned",
                "blocking work ended");
    }

    @Test
    void atShutdownWhenTheExecutorsRefuseWorkStopAndDeleteHooksStillRunAndBlockingWorkIsRefusedOnTheLane() {
        ManualExecutor executor = new ManualExecutor();
        EngineFixture f = new EngineFixture(dir);
        List<Object> answers = new CopyOnWriteArrayList<>();
        Machine m = f.create(TestMachines.machine("m", dir).initial("a")
                .transition("go", "b", "a")
                .watcher(TestMachines.watcher("w", "lane"))
                .build(), executor, new LaneWatchers(c -> { },
                c -> c.lane().runBlocking(() -> "ran", (r, e) -> answers.add(e == null ? r : e))));
        m.start();
        f.scheduler.runDue();
        executor.runAll();
        assertThat(log).containsExactly("start on lane: true");

        executor.shutdown();
        m.delete();

        assertThat(log).containsExactly("start on lane: true", "delete on lane: true");
        assertThat(answers).singleElement().isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aMachinesStopWaitsForTheBlockingWorkItsWatchersStillHaveRunning() throws Exception {
        CountDownLatch workStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            EngineFixture f = new EngineFixture(dir);
            Machine m = f.create(TestMachines.machine("m", dir).initial("a")
                    .transition("go", "b", "a")
                    .watcher(TestMachines.watcher("w", "lane"))
                    .build(), pool, new LaneWatchers(c -> { }, c -> c.lane().runBlocking(() -> {
                        workStarted.countDown(); // e.g. ending the watcher's command
                        return release.await(20, TimeUnit.SECONDS);
                    }, (r, e) -> log.add("ended: " + r))));
            m.start();
            f.scheduler.runDue();

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(m::stop, pool);
            assertThat(workStarted.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(stopping).as("the work is still running").isNotDone();

            release.countDown();
            stopping.get(20, TimeUnit.SECONDS);
            assertThat(log).as("its answer too came before stop returned").contains("ended: true");
        } finally {
            pool.shutdownNow();
        }
    }
}
