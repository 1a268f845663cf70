package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.MachineHost;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.testing.EventRecorder;
import dev.tend.machine.testing.FixedRandom;
import dev.tend.machine.testing.ManualScheduler;
import dev.tend.machine.testing.TestWatcherCall;
import dev.tend.machine.testing.TestWatcherFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * What the engine tests share: a manual scheduler and clock, a recording event sink, a test watcher factory whose calls
 * are recorded, and (by default) watcher calls run directly on the thread that makes them.
 */
final class EngineFixture {

    final ManualScheduler scheduler = new ManualScheduler();
    final EventRecorder events = new EventRecorder();
    final List<TestWatcherCall> calls = new ArrayList<>();
    final Path stateDirectory;
    private TestWatcherFactory.Listener extraListener = call -> { };

    EngineFixture(Path stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    /** Also tell {@code listener} of every call (e.g. to block in one). */
    EngineFixture listener(TestWatcherFactory.Listener listener) {
        this.extraListener = listener;
        return this;
    }

    TestWatcherFactory factory() {
        return new TestWatcherFactory(call -> {
            synchronized (calls) {
                calls.add(call);
            }
            extraListener.called(call);
        });
    }

    MachineEnvironment.Builder environment(WatcherFactory... more) {
        List<WatcherFactory> factories = new ArrayList<>(List.of(more));
        if (factories.stream().noneMatch(f -> f.type().equals(TestWatcherFactory.TYPE))) {
            factories.add(factory());
        }
        return MachineEnvironment.builder()
                .identity("node1")
                .watchers(WatcherRegistry.of(factories))
                .stateDirectory(stateDirectory)
                .events(events)
                .scheduler(scheduler)
                .blockingExecutor(Runnable::run)
                .clock(scheduler.clock())
                .random(new FixedRandom(0.5));
    }

    Machine create(MachineDefinition definition, WatcherFactory... more) {
        return Machines.create(definition, environment(more).build());
    }

    Machine create(MachineDefinition definition, MachineHost host) {
        return Machines.create(definition, environment().host(host).build());
    }

    Machine create(MachineDefinition definition, Executor blockingExecutor, WatcherFactory... more) {
        return Machines.create(definition, environment(more).blockingExecutor(blockingExecutor).build());
    }

    List<TestWatcherCall> calls(Predicate<TestWatcherCall> filter) {
        synchronized (calls) {
            return calls.stream().filter(filter).toList();
        }
    }

    List<TestWatcherCall> calls(String watcher, TestWatcherCall.Kind kind) {
        return calls(c -> c.watcher().equals(watcher) && c.kind() == kind);
    }

    List<TestWatcherCall> allCalls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }
}
