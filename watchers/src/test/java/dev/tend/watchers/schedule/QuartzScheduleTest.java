package dev.tend.watchers.schedule;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.ManualScheduler;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The real Quartz alarms, with the real clock: polled with generous deadlines, never timed. */
@ResourceLock(value = "threads tend-schedule-", mode = ResourceAccessMode.READ_WRITE)
class QuartzScheduleTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path machineDir;
    @TempDir
    Path stateDir;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }

    private static Set<Thread> quartzThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tend-schedule-") && t.isAlive()).collect(Collectors.toSet());
    }

    @Test
    void aWindowOfAnEverySecondScheduleOpensThroughQuartzAndCloseStopsItsThreads() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "tend-test-scheduler"));
        ExecutorService blocking = Executors.newFixedThreadPool(2, r -> new Thread(r, "tend-test-blocking"));
        ScheduleWatcherFactory factory = new ScheduleWatcherFactory();
        Set<Thread> before = quartzThreads();
        Set<Thread> started;
        try {
            var definition = TestMachines.machine("ticker", machineDir).initial("waiting")
                    .transition("open", "opened", "waiting")
                    .watcher(TestMachines.watcher("every", "schedule").success("open")
                            .property("schedules", List.of("@every 1s"))
                            .property("duration", Duration.ofSeconds(30)))
                    .build();
            EventRecorder events = new EventRecorder();
            Machine machine = Machines.create(definition, MachineEnvironment.builder()
                    .watchers(WatcherRegistry.of(List.of(factory))).stateDirectory(stateDir).events(events)
                    .scheduler(scheduler).blockingExecutor(blocking).clock(Clock.systemUTC()).build());
            machine.start();

            await("the window to open", () -> machine.state().equals("opened"));
            assertThat(events.watcherStates()).first().satisfies(e -> assertThat(e.fields()).containsEntry("state", "on"));
            started = quartzThreads();
            started.removeAll(before);
            assertThat(started).extracting(Thread::getName).anySatisfy(n -> assertThat(n).endsWith("-worker-1"))
                    .allSatisfy(n -> assertThat(n).startsWith("tend-schedule-"));
            assertThat(started).allMatch(Thread::isDaemon);
            machine.stop();
        } finally {
            factory.close();
            scheduler.shutdownNow();
            blocking.shutdownNow();
        }
        await("Quartz's threads to end", () -> started.stream().noneMatch(Thread::isAlive));
    }

    @Test
    void alarmsFireAtTheirTimeOrAtOnceWhenPastAndCancelledOnesDoNot() throws Exception {
        QuartzAlarms alarms = QuartzAlarms.start();
        try {
            AtomicInteger cancelledRan = new AtomicInteger();
            CountDownLatch fired = new CountDownLatch(2);
            // Cancelled at once and a second ahead: a busy machine once stalled this thread past a closer due time.
            Alarms.Alarm cancelled = alarms.at(Instant.now().plusMillis(1_000), cancelledRan::incrementAndGet);
            cancelled.cancel();
            cancelled.cancel();
            alarms.at(Instant.now().plusMillis(1_200), fired::countDown);
            alarms.at(Instant.now().minusSeconds(5), fired::countDown);

            assertThat(fired.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            await("every alarm to be done", () -> alarms.pending() == 0);
            assertThat(cancelledRan).hasValue(0);
        } finally {
            alarms.close();
        }
    }

    @Test
    void aWatcherOfAClosedFactoryCannotStartSoItsMachineDoesNot() {
        ScheduleWatcherFactory factory = new ScheduleWatcherFactory();
        factory.close();
        ManualScheduler scheduler = new ManualScheduler();
        Machine machine = Machines.create(TestMachines.machine("late", machineDir).initial("waiting")
                .transition("open", "opened", "waiting")
                .watcher(TestMachines.watcher("daily", "schedule").success("open")
                        .property("schedules", List.of("@daily")).property("duration", Duration.ofMinutes(1)))
                .build(), MachineEnvironment.builder().watchers(WatcherRegistry.of(List.of(factory)))
                .stateDirectory(stateDir).scheduler(scheduler).blockingExecutor(Runnable::run)
                .clock(scheduler.clock()).build());
        Set<Thread> before = quartzThreads();

        machine.start();
        scheduler.runDue();

        assertThat(machine.status().startTime()).as("not started").isNull();
        assertThat(quartzThreads()).isEqualTo(before);
        machine.stop();
    }
}
