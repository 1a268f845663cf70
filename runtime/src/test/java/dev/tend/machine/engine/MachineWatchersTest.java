package dev.tend.machine.engine;

import ch.qos.logback.classic.Level;
import dev.tend.machine.Machine;
import dev.tend.machine.event.WatcherStateEvent;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.testing.LogCapture;
import dev.tend.machine.testing.TestMachines;
import dev.tend.machine.testing.TestWatcherCall;
import dev.tend.machine.testing.TestWatcherCall.Kind;
import dev.tend.machine.testing.TestWatcherFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@ResourceLock(value = "dev.tend.machine.engine.WatcherLifecycle", mode = ResourceAccessMode.READ_WRITE)
class MachineWatchersTest {

    @TempDir
    Path dir;

    private TestMachines.MachineBuilder door() {
        return TestMachines.machine("door", dir).initial("closed")
                .transition("open", "opened", "closed")
                .transition("close", "closed", "opened")
                .transition("stay", "opened", "opened");
    }

    @Test
    void watchersStartAfterAWholeSecondSplayAndStartIsIdempotent() {
        EngineFixture f = new EngineFixture(dir); // random fraction 0.5: splay of 10 s waits 5 s
        Machine m = f.create(door().splay(Duration.ofSeconds(10)).watcher(TestMachines.testWatcher("w")).build());

        m.start();
        m.start();
        f.scheduler.advance(Duration.ofMillis(4999));
        assertThat(f.allCalls()).isEmpty();
        assertThat(m.status().startTime()).isNull();

        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(f.allCalls()).extracting(TestWatcherCall::kind).containsExactly(Kind.CREATED, Kind.STARTED,
                Kind.ACTIVATED);
        assertThat(m.status().startTime()).isEqualTo(f.scheduler.now());
        m.stop();
    }

    @Test
    void aFractionalSplayRoundsToWholeSecondsBelowIt() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door().splay(Duration.ofMillis(2500)).watcher(TestMachines.testWatcher("w")).build());
        m.start(); // whole seconds in [0, 2.5 s): 0, 1 or 2; the fixed fraction 0.5 picks 1
        f.scheduler.advance(Duration.ofMillis(999));
        assertThat(f.allCalls()).isEmpty();
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(f.calls("w", Kind.STARTED)).hasSize(1);
        m.stop();
    }

    @Test
    void stopDuringTheSplayCancelsTheStart() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door().splay(Duration.ofSeconds(30)).watcher(TestMachines.testWatcher("w")).build());
        m.start();
        m.stop();
        f.scheduler.advance(Duration.ofMinutes(1));
        assertThat(f.allCalls()).isEmpty();
        assertThat(f.scheduler.pending()).isZero();
    }

    @Test
    void aWatcherThatCannotBeCreatedLeavesTheMachineNotStartedAndStartCanBeRetried() {
        EngineFixture f = new EngineFixture(dir);
        AtomicInteger failuresLeft = new AtomicInteger(1);
        WatcherFactory flaky = new FlakyFactory(f.factory(), failuresLeft);
        Machine m = f.create(door()
                .watcher(TestMachines.testWatcher("first"))
                .watcher(TestMachines.watcher("second", "flaky"))
                .build(), flaky);

        try (LogCapture log = LogCapture.of(WatcherLifecycle.class)) {
            m.start();
            f.scheduler.runDue();
            assertThat(log.lines(Level.ERROR)).containsExactly(
                    "machine \"door\" not started: cannot create watcher \"second\" (flaky): disk on fire");
        }
        assertThat(m.status().startTime()).isNull();
        assertThat(f.calls("first", Kind.CREATED)).hasSize(1);
        assertThat(f.calls("first", Kind.STARTED)).as("nothing starts when one cannot be created").isEmpty();

        m.start();
        f.scheduler.runDue();
        assertThat(m.status().startTime()).isNotNull();
        assertThat(f.calls("first", Kind.STARTED)).hasSize(1);
        assertThat(f.calls("second", Kind.STARTED)).hasSize(1);
        m.stop();
    }

    @Test
    void aWatcherThatFailsToStartStopsTheOnesStartedAndLeavesTheMachineNotStarted() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door()
                .watcher(TestMachines.testWatcher("good"))
                .watcher(TestMachines.testWatcher("bad").property("fail_start", true))
                .build());

        try (LogCapture log = LogCapture.of(WatcherLifecycle.class)) {
            m.start();
            f.scheduler.runDue();
            assertThat(log.lines(Level.ERROR)).containsExactly(
                    "machine \"door\" not started: watcher \"bad\" (test) failed to start: fail_start is set");
        }
        assertThat(m.status().startTime()).isNull();
        assertThat(f.calls("good", Kind.STOPPED)).hasSize(1);
        assertThat(f.calls("bad", Kind.STOPPED)).hasSize(1);
        m.stop();
        assertThat(f.calls("good", Kind.STOPPED)).as("already stopped").hasSize(1);
    }

    @Test
    void theTestWatchersFailCreateIsACreationFailure() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door().watcher(TestMachines.testWatcher("w").property("fail_create", true)).build());
        try (LogCapture log = LogCapture.of(WatcherLifecycle.class)) {
            m.start();
            f.scheduler.runDue();
            assertThat(log.lines(Level.ERROR)).containsExactly(
                    "machine \"door\" not started: cannot create watcher \"w\" (test): fail_create is set");
        }
        assertThat(f.allCalls()).isEmpty();
        assertThat(m.status().startTime()).isNull();
    }

    @Test
    void aTypeMissingFromTheRegistryIsACreationFailure() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door().watcher(TestMachines.watcher("w", "nagios")).build());
        try (LogCapture log = LogCapture.of(WatcherLifecycle.class)) {
            m.start();
            f.scheduler.runDue();
            assertThat(log.lines(Level.ERROR)).containsExactly(
                    "machine \"door\" not started: cannot create watcher \"w\" (nagios): "
                            + "no watcher type \"nagios\" is installed");
        }
        assertThat(m.status().startTime()).isNull();
    }

    @Test
    void everyRealTransitionPokesEveryWatcherOnceAndSelfTransitionsPokeNone() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door()
                .watcher(TestMachines.testWatcher("a").stateMatch("opened"))
                .watcher(TestMachines.testWatcher("b"))
                .build());
        m.start();
        f.scheduler.runDue();

        m.transition("open");
        m.transition("stay");
        m.fire("stay");
        f.scheduler.runDue();

        assertThat(f.calls("a", Kind.STATE_CHANGED)).extracting(TestWatcherCall::state).containsExactly("opened");
        assertThat(f.calls("b", Kind.STATE_CHANGED)).extracting(TestWatcherCall::state).containsExactly("opened");
        assertThat(f.calls("a", Kind.ACTIVATED)).extracting(TestWatcherCall::state).containsExactly("opened");
        m.transition("close");
        assertThat(f.calls("a", Kind.STATE_CHANGED)).hasSize(2);
        assertThat(f.calls("a", Kind.ACTIVATED)).as("inactive in closed").hasSize(1);
        m.stop();
    }

    @Test
    void theTransitionEventIsPublishedAfterThePokes() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.listener(call -> {
            if (call.kind() == Kind.STATE_CHANGED) {
                order.add("poke " + f.events.transitions().size());
            }
        });
        Machine m = f.create(door().watcher(TestMachines.testWatcher("w")).build());
        m.start();
        f.scheduler.runDue();
        m.transition("open");
        assertThat(order).containsExactly("poke 0");
        assertThat(f.events.transitions()).hasSize(1);
        m.stop();
    }

    @Test
    void stopStopsEveryWatcherOnceAndDeleteRunsTheDeleteHooks() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door().watcher(TestMachines.testWatcher("a")).watcher(TestMachines.testWatcher("b")).build());
        m.start();
        f.scheduler.runDue();

        m.stop();
        m.stop();
        assertThat(f.calls(c -> c.kind() == Kind.STOPPED)).extracting(TestWatcherCall::watcher).containsExactly("a", "b");
        m.delete();
        assertThat(f.calls(c -> c.kind() == Kind.DELETED)).extracting(TestWatcherCall::watcher).containsExactly("a", "b");
        m.delete();
        assertThat(f.calls(c -> c.kind() == Kind.DELETED)).hasSize(2);
    }

    @Test
    void deleteWithoutStopRunsOnlyTheDeleteHooks() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door().watcher(TestMachines.testWatcher("a")).build());
        m.start();
        f.scheduler.runDue();
        m.delete();
        assertThat(f.allCalls()).extracting(TestWatcherCall::kind)
                .containsExactly(Kind.CREATED, Kind.STARTED, Kind.ACTIVATED, Kind.DELETED);
    }

    @Test
    void aWatcherWithAnAnnounceIntervalPublishesItsStateEveryInterval() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door()
                .watcher(TestMachines.testWatcher("loud").announce(Duration.ofMinutes(1)).property("message", "hi"))
                .watcher(TestMachines.testWatcher("quiet"))
                .build());
        m.start();
        f.scheduler.runDue();
        f.events.clear(); // the activations' own state events

        f.scheduler.advance(Duration.ofSeconds(59));
        assertThat(f.events.watcherStates()).isEmpty();
        f.scheduler.advance(Duration.ofSeconds(1));
        f.scheduler.advance(Duration.ofMinutes(1));

        List<WatcherStateEvent> announced = f.events.watcherStates();
        assertThat(announced).hasSize(2);
        WatcherStateEvent first = announced.get(0);
        assertThat(first.identity()).isEqualTo("node1");
        assertThat(first.machine()).isEqualTo("door");
        assertThat(first.instanceId()).isEqualTo(m.instanceId());
        assertThat(first.version()).isEqualTo("1.0.0");
        assertThat(first.watcherType()).isEqualTo("test");
        assertThat(first.watcherName()).isEqualTo("loud");
        assertThat(first.type()).isEqualTo("dev.tend.machine.watcher.test.v1.state");
        assertThat(first.time()).isEqualTo(f.scheduler.now().minusSeconds(60));
        assertThat(first.fields()).containsEntry("state", "active").containsEntry("message", "hi");

        m.stop();
        f.scheduler.advance(Duration.ofMinutes(5));
        assertThat(f.events.watcherStates()).hasSize(2);
    }

    @Test
    void successAfterFiresTheSuccessTransitionAfterEachActivation() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door()
                .watcher(TestMachines.testWatcher("opener").stateMatch("closed").success("open")
                        .property("success_after", Duration.ofSeconds(5)))
                .watcher(TestMachines.testWatcher("closer").stateMatch("opened").fail("close")
                        .property("fail_after", Duration.ofSeconds(3)).property("max_fires", 1L))
                .build());
        m.start();
        f.scheduler.runDue();

        f.scheduler.advance(Duration.ofSeconds(5));
        assertThat(m.state()).isEqualTo("opened");
        f.scheduler.advance(Duration.ofSeconds(3));
        assertThat(m.state()).isEqualTo("closed");
        f.scheduler.advance(Duration.ofSeconds(5));
        assertThat(m.state()).isEqualTo("opened");
        f.scheduler.advance(Duration.ofSeconds(30));
        assertThat(m.state()).as("the closer fires at most once").isEqualTo("opened");
        m.stop();
    }

    @Test
    void aPokeIntoAnInactiveStateCancelsAPendingFire() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(door()
                .watcher(TestMachines.testWatcher("closer").stateMatch("opened").success("close")
                        .property("success_after", Duration.ofSeconds(10)))
                .build());
        m.start();
        f.scheduler.runDue();
        m.transition("open");
        f.scheduler.advance(Duration.ofSeconds(5));
        m.transition("close");
        f.scheduler.advance(Duration.ofSeconds(20));
        assertThat(f.calls("closer", Kind.FIRED)).isEmpty();
        assertThat(m.state()).isEqualTo("closed");
        m.stop();
    }

    /** A factory of type {@code flaky} whose first creations throw, then make test watchers. */
    private static final class FlakyFactory implements WatcherFactory {
        private final TestWatcherFactory delegate;
        private final AtomicInteger failuresLeft;

        FlakyFactory(TestWatcherFactory delegate, AtomicInteger failuresLeft) {
            this.delegate = delegate;
            this.failuresLeft = failuresLeft;
        }

        @Override
        public String type() {
            return "flaky";
        }

        @Override
        public List<PropertySpec> properties() {
            return List.of();
        }

        @Override
        public Watcher create(WatcherContext context) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("disk on fire");
            }
            return delegate.create(context);
        }
    }
}
