package dev.tend.watchers.schedule;

import ch.qos.logback.classic.Level;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.LogCapture;
import dev.tend.machine.testing.ManualScheduler;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wall-clock alarms on a scheduler: driven by the runtime's manual scheduler and a clock that can be set apart
 * from it (as an adjusted clock or a suspended host leaves the scheduler's elapsed time behind); and once end to end
 * through the factory on a real scheduler, polled with a generous deadline, never timed.
 */
class ClockAlarmsTest {

    private static final Instant ORIGIN = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path machineDir;
    @TempDir
    Path stateDir;

    private final ManualScheduler scheduler = new ManualScheduler(ORIGIN);
    /** How far the clock reads ahead of the scheduler's elapsed time. */
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return scheduler.now().plus(offset.get());
        }
    };
    private final List<String> fired = new CopyOnWriteArrayList<>();

    private Alarms.Alarm set(ClockAlarms alarms, String name, Instant when) {
        return alarms.at(when, () -> fired.add(name));
    }

    @Test
    void alarmsFireAtTheirTimeInOrderAndAPastOneAtOnce() {
        ClockAlarms alarms = new ClockAlarms(scheduler, clock);
        set(alarms, "at 30s", ORIGIN.plusSeconds(30));
        set(alarms, "at 5s", ORIGIN.plusSeconds(5));
        set(alarms, "also at 5s", ORIGIN.plusSeconds(5));
        set(alarms, "past", ORIGIN.minusSeconds(5));
        scheduler.runDue();
        assertThat(fired).containsExactly("past");

        scheduler.advance(Duration.ofMillis(4_999));
        assertThat(fired).containsExactly("past");
        scheduler.advance(Duration.ofMillis(1));
        assertThat(fired).containsExactly("past", "at 5s", "also at 5s");
        scheduler.advance(Duration.ofSeconds(25));
        assertThat(fired).containsExactly("past", "at 5s", "also at 5s", "at 30s");
        assertThat(alarms.pending()).isZero();
        assertThat(scheduler.pending()).as("no check left when no alarm is").isZero();
    }

    @Test
    void anAlarmThatThrowsAnErrorOrAnExceptionIsLoggedWithItsOwnerAndTheOthersDueWithItStillRun() {
        ClockAlarms alarms = new ClockAlarms(scheduler, clock);
        try (LogCapture log = LogCapture.of(ClockAlarms.class)) {
            alarms.at(ORIGIN.plusSeconds(5), "machine first, watcher throws-error", () -> {
                fired.add("error");
                throw new AssertionError("boom");
            });
            set(alarms, "after the error", ORIGIN.plusSeconds(5));
            alarms.at(ORIGIN.plusSeconds(5), "machine second, watcher throws-exception", () -> {
                fired.add("exception");
                throw new IllegalStateException("bang");
            });
            set(alarms, "after the exception", ORIGIN.plusSeconds(5));
            set(alarms, "later", ORIGIN.plusSeconds(10));

            scheduler.advance(Duration.ofSeconds(5));
            assertThat(fired).containsExactly("error", "after the error", "exception", "after the exception");
            assertThat(log.lines(Level.ERROR)).anySatisfy(line -> assertThat(line)
                    .contains("machine first, watcher throws-error").contains("boom"));
            assertThat(log.lines(Level.WARN)).anySatisfy(line -> assertThat(line)
                    .contains("machine second, watcher throws-exception").contains("bang"));

            scheduler.advance(Duration.ofSeconds(5));
            assertThat(fired).as("later checks are still planned").endsWith("later");
            assertThat(alarms.pending()).isZero();
        }
    }

    @Test
    void oneCheckIsPendingAtATimeAndTheClockIsReadAgainAtLeastEveryRecheck() {
        ClockAlarms alarms = new ClockAlarms(scheduler, clock);
        for (int i = 1; i <= 100; i++) {
            set(alarms, "in " + i + "h", ORIGIN.plus(Duration.ofHours(i)));
        }
        assertThat(scheduler.pendingDelays()).containsExactly(ClockAlarms.RECHECK);
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(scheduler.pendingDelays()).containsExactly(ClockAlarms.RECHECK);
        assertThat(fired).isEmpty();
    }

    @Test
    void aClockSetForwardFiresWhatIsDueAtTheNextCheckAndOneSetBackDoesNotFireEarly() {
        ClockAlarms alarms = new ClockAlarms(scheduler, clock);
        set(alarms, "02:00", ORIGIN.plus(Duration.ofHours(2)));
        set(alarms, "03:00", ORIGIN.plus(Duration.ofHours(3)));

        offset.set(Duration.ofHours(2)); // the clock is set forward (or the host slept two hours)
        scheduler.advance(ClockAlarms.RECHECK);
        assertThat(fired).containsExactly("02:00");

        offset.set(Duration.ofMinutes(-30)); // then set back: 03:00 is three and a half hours away by the clock
        scheduler.advance(Duration.ofHours(3));
        assertThat(fired).containsExactly("02:00");
        scheduler.advance(Duration.ofMinutes(30));
        assertThat(fired).containsExactly("02:00", "03:00");
    }

    @Test
    void cancelledAlarmsDoNotFireAndCloseDropsTheRestAndRefusesMore() {
        ClockAlarms alarms = new ClockAlarms(scheduler, clock);
        Alarms.Alarm cancelled = set(alarms, "cancelled", ORIGIN.plusSeconds(1));
        set(alarms, "kept", ORIGIN.plusSeconds(2));
        set(alarms, "closed", ORIGIN.plusSeconds(60));
        cancelled.cancel();
        cancelled.cancel();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(fired).containsExactly("kept");

        alarms.close();
        assertThat(scheduler.pending()).isZero();
        scheduler.advance(Duration.ofMinutes(2));
        assertThat(fired).containsExactly("kept");
        assertThatThrownBy(() -> set(alarms, "late", ORIGIN.plusSeconds(600)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aFailingAlarmDoesNotStopTheOthers() {
        ClockAlarms alarms = new ClockAlarms(scheduler, clock);
        alarms.at(ORIGIN.plusSeconds(1), () -> {
            throw new IllegalStateException("boom");
        });
        set(alarms, "after", ORIGIN.plusSeconds(1));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(fired).containsExactly("after");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }

    @Test
    void aWindowOfAnEverySecondScheduleOpensOnTheRuntimesSchedulerWithNoThreadOfItsOwn() throws Exception {
        ScheduledExecutorService real = Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "tend-test-scheduler"));
        ExecutorService blocking = Executors.newFixedThreadPool(2, r -> new Thread(r, "tend-test-blocking"));
        ScheduleWatcherFactory factory = new ScheduleWatcherFactory();
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
                    .scheduler(real).blockingExecutor(blocking).clock(Clock.systemUTC()).build());
            machine.start();

            await("the window to open", () -> machine.state().equals("opened"));
            assertThat(events.watcherStates()).first().satisfies(e -> assertThat(e.fields()).containsEntry("state", "on"));
            assertThat(threadNames()).noneMatch(n -> n.startsWith("tend-schedule"));
            machine.stop();
        } finally {
            factory.close();
            real.shutdownNow();
            blocking.shutdownNow();
        }
    }

    @Test
    void aWatcherOfAClosedFactoryCannotStartSoItsMachineDoesNot() {
        ScheduleWatcherFactory factory = new ScheduleWatcherFactory();
        factory.close();
        Machine machine = Machines.create(TestMachines.machine("late", machineDir).initial("waiting")
                .transition("open", "opened", "waiting")
                .watcher(TestMachines.watcher("daily", "schedule").success("open")
                        .property("schedules", List.of("@daily")).property("duration", Duration.ofMinutes(1)))
                .build(), MachineEnvironment.builder().watchers(WatcherRegistry.of(List.of(factory)))
                .stateDirectory(stateDir).scheduler(scheduler).blockingExecutor(Runnable::run)
                .clock(scheduler.clock()).build());

        machine.start();
        scheduler.runDue();

        assertThat(machine.status().startTime()).as("not started").isNull();
        assertThat(scheduler.pending()).as("no alarm, no check").isZero();
        machine.stop();
    }
}
