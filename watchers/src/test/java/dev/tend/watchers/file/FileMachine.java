package dev.tend.watchers.file;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.FixedRandom;
import dev.tend.machine.testing.ManualScheduler;
import dev.tend.machine.testing.TestMachines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A machine with one file watcher, driven by the manual scheduler, watcher calls on the driving thread. States:
 * {@code watching} at first; the watcher's success ({@code changed}) leads to {@code seen}, its failure ({@code missing})
 * to {@code gone}; {@code pause} leads to {@code paused}, where the watcher is inactive, and {@code resume} back.
 */
final class FileMachine implements AutoCloseable {

    static final String NAME = "files";

    final ManualScheduler scheduler = new ManualScheduler();
    final EventRecorder events = new EventRecorder();
    final Path machineDir;
    final Path stateDir;
    /** The machine's name, which its loggers' names carry ({@code dev.tend.machine.<name>.<watcher>}). */
    final String name;
    Machine machine;
    /** Noop mode ({@code tend agent --noop}); set before {@link #start}. */
    boolean noop;

    FileMachine(Path machineDir, Path stateDir) {
        this(machineDir, stateDir, NAME);
    }

    FileMachine(Path machineDir, Path stateDir, String name) {
        this.machineDir = machineDir;
        this.stateDir = stateDir;
        this.name = name;
    }

    /** Machine data the machine starts with (as a JSON object text). */
    FileMachine data(String json) throws IOException {
        Path file = stateDir.resolve("machines").resolve(name).resolve("machine_data.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return this;
    }

    Machine start(String initial, TestMachines.WatcherBuilder watcher) {
        var definition = TestMachines.machine(name, machineDir).initial(initial)
                .transition("changed", "seen", "watching", "seen", "gone")
                .transition("missing", "gone", "watching", "seen", "gone")
                .transition("pause", "paused", "watching", "seen", "gone")
                .transition("resume", "watching", "paused")
                .watcher(watcher.stateMatch("watching", "seen", "gone").success("changed").fail("missing"))
                .build();
        machine = Machines.create(definition, MachineEnvironment.builder()
                .identity("node1")
                .watchers(WatcherRegistry.of(List.of(new FileWatcherFactory())))
                .stateDirectory(stateDir)
                .events(events)
                .scheduler(scheduler)
                .blockingExecutor(Runnable::run)
                .clock(scheduler.clock())
                .random(new FixedRandom(0.5))
                .noop(noop)
                .build());
        machine.start();
        scheduler.runDue();
        return machine;
    }

    void transition(String event) throws Exception {
        machine.transition(event);
        scheduler.runDue();
    }

    /** Watcher outcomes and transitions as {@code "00:00:05 changed"} and {@code "00:00:05 -> seen"}, in order. */
    List<String> timeline() {
        List<String> out = new ArrayList<>();
        for (MachineEvent e : events.events()) {
            if (e instanceof WatcherStateEvent w) {
                out.add(time(w) + " " + w.fields().get("previous_outcome"));
            } else if (e instanceof TransitionEvent t) {
                out.add(LocalTime.ofInstant(t.time(), ZoneOffset.UTC) + " -> " + t.toState());
            }
        }
        return out;
    }

    List<Map<String, Object>> watcherEvents() {
        return events.watcherStates().stream().map(WatcherStateEvent::fields).toList();
    }

    Map<String, Object> watcherState() {
        return machine.status().watchers().get(0).state();
    }

    private static String time(WatcherStateEvent w) {
        return LocalTime.ofInstant(w.time(), ZoneOffset.UTC).toString();
    }

    @Override
    public void close() {
        if (machine != null) {
            machine.stop();
        }
    }
}
