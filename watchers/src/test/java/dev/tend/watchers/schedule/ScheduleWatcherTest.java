package dev.tend.watchers.schedule;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineHost;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.FixedRandom;
import dev.tend.machine.testing.ManualScheduler;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schedule watcher in a real machine, time driven by the manual scheduler. The machine: {@code open} leads to
 * {@code opened}, {@code close} to {@code closed}; {@code freeze} leads to {@code frozen}, where the watcher is inactive,
 * and {@code thaw} back to {@code waiting}.
 */
class ScheduleWatcherTest {

    @TempDir
    Path machineDir;
    @TempDir
    Path stateDir;

    private ManualScheduler scheduler = new ManualScheduler(Instant.parse("2024-01-01T00:00:00Z"));
    private final EventRecorder events = new EventRecorder();
    private double splayFraction = 0.5;
    private MachineHost host = MachineHost.NONE;
    private Machine machine;

    @AfterEach
    void stop() {
        if (machine != null) {
            machine.stop();
        }
    }

    private static TestMachines.WatcherBuilder window(String... schedules) {
        return TestMachines.watcher("window", "schedule")
                .property("schedules", List.of(schedules))
                .property("duration", Duration.ofMinutes(10))
                .property("timezone", "UTC");
    }

    private Machine start(String initial, TestMachines.WatcherBuilder watcher) {
        ScheduleWatcherFactory factory = new ScheduleWatcherFactory(
                context -> new SchedulerAlarms(context.scheduler(), context.clock()), () -> new FixedRandom(splayFraction));
        var definition = TestMachines.machine("maintenance", machineDir).initial(initial)
                .transition("open", "opened", "waiting", "closed")
                .transition("close", "closed", "waiting", "opened")
                .transition("freeze", "frozen", "waiting", "opened", "closed")
                .transition("thaw", "waiting", "frozen")
                .watcher(watcher.stateMatch("waiting", "opened", "closed").success("open").fail("close"))
                .build();
        machine = Machines.create(definition, MachineEnvironment.builder()
                .identity("node1")
                .watchers(WatcherRegistry.of(List.of(factory)))
                .stateDirectory(stateDir)
                .events(events)
                .scheduler(scheduler)
                .blockingExecutor(Runnable::run)
                .clock(scheduler.clock())
                .random(new FixedRandom(0.5))
                .host(host)
                .build());
        machine.start();
        scheduler.runDue();
        return machine;
    }

    /** Watcher states and transitions as {@code "01:00 on"} and {@code "01:00 open -> opened"}, in order. */
    private List<String> timeline() {
        List<String> out = new ArrayList<>();
        for (MachineEvent e : events.events()) {
            if (e instanceof WatcherStateEvent w) {
                out.add(time(w.time()) + " " + w.fields().get("state"));
            } else if (e instanceof TransitionEvent t) {
                out.add(time(t.time()) + " " + t.transition() + " -> " + t.toState());
            }
        }
        return out;
    }

    private static String time(Instant t) {
        return LocalTime.ofInstant(t, ZoneOffset.UTC).toString(); // 01:00, 01:00:30, 01:03:59.999760
    }

    private Map<String, Object> watcherState() {
        return new LinkedHashMap<>(machine.status().watchers().get(0).state());
    }

    private void transition(String event) throws Exception {
        machine.transition(event);
        scheduler.runDue();
    }

    @Test
    void aWindowOpensAtEachScheduledTimeAndClosesAfterItsDuration() {
        start("waiting", window("0 * * * *"));
        assertThat(watcherState()).containsEntry("state", "unknown");

        scheduler.advance(Duration.ofMinutes(59));
        assertThat(timeline()).isEmpty();
        scheduler.advance(Duration.ofMinutes(72));

        assertThat(timeline()).containsExactly(
                "01:00 on", "01:00 open -> opened",
                "01:10 off", "01:10 close -> closed",
                "02:00 on", "02:00 open -> opened",
                "02:10 off", "02:10 close -> closed");
        assertThat(watcherState()).containsEntry("state", "off");
    }

    @Test
    void startingInsideAWindowLeavesTheStateUnknownUntilTheNextOne() {
        scheduler = new ManualScheduler(Instant.parse("2024-01-01T00:05:00Z"));
        start("waiting", window("0 * * * *").property("duration", Duration.ofHours(1)));

        scheduler.advance(Duration.ofMinutes(54));
        assertThat(timeline()).isEmpty();
        assertThat(machine.state()).isEqualTo("waiting");
        assertThat(watcherState()).containsEntry("state", "unknown");
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(timeline()).containsExactly("01:00 on", "01:00 open -> opened");
    }

    @Test
    void startInWindowTreatsAWindowOpenAtTheStartAsOpened() {
        scheduler = new ManualScheduler(Instant.parse("2024-01-01T00:05:00Z"));
        start("waiting", window("0 * * * *").property("duration", Duration.ofMinutes(30))
                .property("start_in_window", true));

        assertThat(timeline()).containsExactly("00:05 on", "00:05 open -> opened");
        scheduler.advance(Duration.ofMinutes(85));
        assertThat(timeline()).containsExactly(
                "00:05 on", "00:05 open -> opened",
                "00:30 off", "00:30 close -> closed",
                "01:00 on", "01:00 open -> opened",
                "01:30 off", "01:30 close -> closed");
    }

    @Test
    void startInWindowOpensNothingBetweenWindows() {
        scheduler = new ManualScheduler(Instant.parse("2024-01-01T00:40:00Z"));
        start("waiting", window("0 * * * *").property("duration", Duration.ofMinutes(30))
                .property("start_in_window", true));

        assertThat(watcherState()).containsEntry("state", "unknown");
        scheduler.advance(Duration.ofMinutes(20));
        assertThat(timeline()).containsExactly("01:00 on", "01:00 open -> opened");
    }

    @Test
    void startInWindowClosesWithTheLatestOfTheOpenWindows() {
        scheduler = new ManualScheduler(Instant.parse("2024-01-01T00:25:00Z"));
        start("waiting", window("0 * * * *", "20 * * * *").property("duration", Duration.ofMinutes(30))
                .property("start_in_window", true));

        scheduler.advance(Duration.ofMinutes(30));
        assertThat(timeline()).containsExactly(
                "00:25 on", "00:25 open -> opened",
                "00:50 off", "00:50 close -> closed");
    }

    @Test
    void startInWindowIgnoresEverySchedulesWhoseWindowsCountFromTheStart() {
        scheduler = new ManualScheduler(Instant.parse("2024-01-01T00:05:00Z"));
        start("waiting", window("@every 1h").property("duration", Duration.ofMinutes(30))
                .property("start_in_window", true));

        assertThat(watcherState()).containsEntry("state", "unknown");
        scheduler.advance(Duration.ofHours(1));
        assertThat(timeline()).containsExactly("01:05 on", "01:05 open -> opened");
    }

    @Test
    void enteringAMatchingStateBeforeAnyWindowFiresFail() throws Exception {
        start("frozen", window("0 * * * *"));
        transition("thaw");

        assertThat(timeline()).containsExactly("00:00 unknown", "00:00 thaw -> waiting", "00:00 close -> closed");
    }

    @Test
    void enteringAMatchingStateWhileAWindowIsOnFiresSuccessAgain() throws Exception {
        start("waiting", window("0 * * * *").property("duration", Duration.ofMinutes(30)));
        scheduler.advance(Duration.ofHours(1));
        transition("freeze");
        scheduler.advance(Duration.ofMinutes(5));
        transition("thaw");
        scheduler.advance(Duration.ofMinutes(25));

        assertThat(timeline()).containsExactly(
                "01:00 on", "01:00 open -> opened",
                "01:00 freeze -> frozen",
                "01:05 on", "01:05 thaw -> waiting", "01:05 open -> opened",
                "01:30 off", "01:30 close -> closed");
    }

    @Test
    void skipTriggerOnReenterFiresSuccessOncePerWindow() throws Exception {
        start("waiting", window("0 * * * *").property("duration", Duration.ofMinutes(30))
                .property("skip_trigger_on_reenter", true));
        scheduler.advance(Duration.ofHours(1));
        transition("freeze");
        scheduler.advance(Duration.ofMinutes(5));
        transition("thaw");
        scheduler.advance(Duration.ofMinutes(55));

        assertThat(timeline()).containsExactly(
                "01:00 on", "01:00 open -> opened",
                "01:00 freeze -> frozen",
                "01:05 on", "01:05 thaw -> waiting",
                "01:30 off", "01:30 close -> closed",
                "02:00 on", "02:00 open -> opened");
    }

    @Test
    void theOnceFlagIsPerWindowEvenWhenTheWindowClosedWhileInactive() throws Exception {
        start("waiting", window("0 * * * *").property("skip_trigger_on_reenter", true));
        scheduler.advance(Duration.ofHours(1));
        transition("freeze"); // 01:00; the window closes at 01:10 while frozen, the next opens at 02:00
        scheduler.advance(Duration.ofMinutes(62));
        transition("thaw");

        assertThat(timeline()).containsExactly(
                "01:00 on", "01:00 open -> opened",
                "01:00 freeze -> frozen",
                "02:02 on", "02:02 thaw -> waiting", "02:02 open -> opened");
    }

    @Test
    void enteringAMatchingStateWhileOffFiresFail() throws Exception {
        start("waiting", window("0 * * * *"));
        scheduler.advance(Duration.ofMinutes(70));
        transition("freeze");
        transition("thaw");

        assertThat(timeline()).containsExactly(
                "01:00 on", "01:00 open -> opened",
                "01:10 off", "01:10 close -> closed",
                "01:10 freeze -> frozen",
                "01:10 off", "01:10 thaw -> waiting", "01:10 close -> closed");
    }

    @Test
    void windowsWhileInactiveFireNothingButAreSeenOnReturn() throws Exception {
        start("frozen", window("0 * * * *"));
        scheduler.advance(Duration.ofMinutes(61));
        assertThat(timeline()).isEmpty();
        assertThat(watcherState()).containsEntry("state", "on");

        transition("thaw");
        assertThat(timeline()).containsExactly("01:01 on", "01:01 thaw -> waiting", "01:01 open -> opened");
    }

    @Test
    void overlappingWindowsMergeIntoOneOnPeriod() {
        start("waiting", window("0 * * * *", "20 * * * *").property("duration", Duration.ofMinutes(30)));
        scheduler.advance(Duration.ofMinutes(119));

        assertThat(timeline()).containsExactly(
                "00:20 on", "00:20 open -> opened",
                "00:50 off", "00:50 close -> closed",
                "01:00 on", "01:00 open -> opened", // the 01:20 window opens inside this one: nothing to report
                "01:50 off", "01:50 close -> closed");
    }

    @Test
    void twoSchedulesAtTheSameTimeAreOneWindow() {
        start("waiting", window("0 * * * *", "@hourly"));
        scheduler.advance(Duration.ofMinutes(90));

        assertThat(timeline()).containsExactly(
                "01:00 on", "01:00 open -> opened",
                "01:10 off", "01:10 close -> closed");
    }

    @Test
    void theSplayDelaysTheOpeningButNotTheClose() {
        start("waiting", window("0 * * * *").property("start_splay", Duration.ofMinutes(4)));
        scheduler.advance(Duration.ofMinutes(90));

        assertThat(timeline()).containsExactly(
                "01:02 on", "01:02 open -> opened",
                "01:10 off", "01:10 close -> closed");
    }

    @Test
    void theSplayStaysBelowItsBound() {
        splayFraction = 0.999_999;
        start("waiting", window("0 * * * *").property("start_splay", Duration.ofMinutes(4)));
        scheduler.advance(Duration.ofMinutes(63));
        assertThat(machine.state()).isEqualTo("waiting");
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(timeline()).startsWith("01:03:59.999760 on");
    }

    @Test
    void noSplayOpensOnTime() {
        splayFraction = 0;
        start("waiting", window("0 * * * *").property("start_splay", Duration.ofMinutes(4)));
        scheduler.advance(Duration.ofMinutes(60));
        assertThat(timeline()).startsWith("01:00 on");
    }

    @Test
    void everyOpensWindowsAtItsPeriodFromTheStart() {
        start("waiting", window("@every 45m").property("duration", Duration.ofMinutes(5)));
        scheduler.advance(Duration.ofMinutes(100));

        assertThat(timeline()).containsExactly(
                "00:45 on", "00:45 open -> opened",
                "00:50 off", "00:50 close -> closed",
                "01:30 on", "01:30 open -> opened",
                "01:35 off", "01:35 close -> closed");
    }

    @Test
    void aSkippedLocalTimeOpensItsWindowWhenTheClocksJump() {
        scheduler = new ManualScheduler(Instant.parse("2024-03-30T12:00:00Z"));
        start("waiting", window("30 2 * * *").property("timezone", "Europe/Berlin"));
        scheduler.advance(Duration.ofHours(13).minusSeconds(1));
        assertThat(timeline()).isEmpty();
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(timeline()).containsExactly("01:00 on", "01:00 open -> opened"); // 03:00 in Berlin, UTC shown
    }

    @Test
    void aWatcherThatRequiresAnotherMachinesStateNoticesItsChangeWithinHalfASecond() {
        AtomicReference<String> power = new AtomicReference<>("off");
        host = new MachineHost() {
            @Override
            public Optional<String> stateOf(String machineName) {
                return machineName.equals("power") ? Optional.of(power.get()) : Optional.empty();
            }

            @Override
            public void transitioned(TransitionEvent event) {
            }
        };
        start("waiting", window("0 * * * *").requires("power", "on"));
        scheduler.advance(Duration.ofMinutes(62));
        assertThat(timeline()).as("inactive: power is off").isEmpty();

        power.set("on");
        scheduler.advance(Duration.ofMillis(500));
        assertThat(timeline()).containsExactly("01:02:00.500 on", "01:02:00.500 open -> opened");

        machine.stop();
        assertThat(scheduler.pending()).as("the periodic look is cancelled too").isZero();
    }

    @Test
    void stopCancelsAlarmsAndWindows() {
        start("waiting", window("0 * * * *"));
        scheduler.advance(Duration.ofMinutes(65));
        machine.stop();
        events.clear();

        scheduler.advance(Duration.ofHours(3));
        assertThat(timeline()).isEmpty();
        assertThat(scheduler.pending()).isZero();
    }
}
