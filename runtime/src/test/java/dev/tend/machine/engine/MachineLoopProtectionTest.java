package dev.tend.machine.engine;

import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.testing.TestMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Loop protection as a machine applies it; the fixture's random makes every jitter exactly 1.0. */
class MachineLoopProtectionTest {

    @TempDir
    Path dir;

    /** Flips between two states, so every fired event is a real transition. */
    private MachineDefinition flipper() {
        return TestMachines.machine("flipper", dir).initial("a")
                .transition("flip", "b", "a")
                .transition("flip", "a", "b")
                .transition("same", "a", "a")
                .watcher(TestMachines.testWatcher("w"))
                .build();
    }

    private static void fire(Machine m, int times) {
        for (int i = 0; i < times; i++) {
            m.fire("flip");
        }
    }

    @Test
    void aBurstOfTwentyPassesAtOnceThenEachFurtherTransitionWaitsLongerPerTheTable() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(flipper());

        fire(m, 24);
        f.scheduler.runDue();
        assertThat(f.events.transitions()).as("the burst").hasSize(20);

        f.scheduler.advance(Duration.ofMillis(24));
        assertThat(f.events.transitions()).as("the 21st waits 25 ms").hasSize(20);
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(f.events.transitions()).hasSize(21);

        f.scheduler.advance(Duration.ofMillis(49));
        assertThat(f.events.transitions()).as("the 22nd waits 50 ms").hasSize(21);
        f.scheduler.advance(Duration.ofMillis(1));
        assertThat(f.events.transitions()).hasSize(22);

        f.scheduler.advance(Duration.ofMillis(75 + 100));
        assertThat(f.events.transitions()).as("then 75 and 100 ms").hasSize(24);
        assertThat(f.scheduler.pending()).as("nothing left queued").isZero();
        assertThat(m.state()).isEqualTo("a");
    }

    @Test
    void delaysStopGrowingAtFiveSeconds() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(flipper());
        fire(m, 20 + 19);
        f.scheduler.runDue();
        // 25 + 50 + ... + 4500 for the 2nd..18th table entries, then 5000 for the 19th
        f.scheduler.advance(Duration.ofMillis(25 + 50 + 75 + 100 + 125 + 150 + 200 + 250 + 500 + 750 + 1000 + 1500 + 2000
                + 2500 + 3000 + 3500 + 4000 + 4500 + 5000));
        assertThat(f.events.transitions()).hasSize(39);

        m.fire("flip");
        f.scheduler.runDue();
        assertThat(f.scheduler.nextDelay()).contains(Duration.ofMillis(5000));
        f.scheduler.advance(Duration.ofMillis(5000));
        assertThat(f.events.transitions()).hasSize(40);
        m.fire("flip");
        f.scheduler.runDue();
        assertThat(f.scheduler.nextDelay()).as("capped").contains(Duration.ofMillis(5000));
        m.stop();
    }

    @Test
    void selfTransitionsCountToo() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(flipper());
        for (int i = 0; i < 20; i++) {
            m.fire("same");
        }
        m.fire("flip");
        f.scheduler.runDue();
        assertThat(f.events.transitions()).isEmpty();
        f.scheduler.advance(Duration.ofMillis(25));
        assertThat(f.events.transitions()).hasSize(1);
    }

    @Test
    void aQuietMinuteResetsIt() {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(flipper());
        fire(m, 22);
        f.scheduler.advance(Duration.ofMillis(75));
        assertThat(f.events.transitions()).hasSize(22);

        f.scheduler.advance(Duration.ofSeconds(59));
        m.fire("flip");
        f.scheduler.runDue();
        assertThat(f.events.transitions()).as("59 s is not a quiet minute").hasSize(22);
        f.scheduler.advance(Duration.ofMillis(75));
        assertThat(f.events.transitions()).hasSize(23);

        f.scheduler.advance(Duration.ofSeconds(60));
        fire(m, 20);
        f.scheduler.runDue();
        assertThat(f.events.transitions()).as("a new burst passes at once").hasSize(43);
    }

    @Test
    void anOperatorTransitionIsNeverDelayedButCounts() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(flipper());
        fire(m, 21);
        f.scheduler.runDue();
        assertThat(f.events.transitions()).hasSize(20);
        String stateWhileWaiting = m.state();

        String now = m.transition("flip");

        assertThat(now).isNotEqualTo(stateWhileWaiting);
        assertThat(f.events.transitions()).hasSize(21);
        // the fired one still waits its 25 ms, and the next fired one waits for the third step (75 ms)
        f.scheduler.advance(Duration.ofMillis(25));
        assertThat(f.events.transitions()).hasSize(22);
        m.fire("flip");
        f.scheduler.runDue();
        assertThat(f.scheduler.nextDelay()).contains(Duration.ofMillis(75));
        m.stop();
    }

    @Test
    void stopDuringADelayReturnsAtOnceAndCancelsIt() throws Exception {
        EngineFixture f = new EngineFixture(dir);
        Machine m = f.create(flipper());
        m.start();
        fire(m, 21);
        f.scheduler.runDue();
        String state = m.state();
        assertThat(f.scheduler.pending()).as("the 21st is waiting").isEqualTo(1);

        // stop from another thread while the delay is pending: it must not wait for the scheduler to move
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(m::stop);
        stopped.get(20, TimeUnit.SECONDS);

        assertThat(f.scheduler.pending()).isZero();
        f.scheduler.advance(Duration.ofSeconds(10));
        assertThat(m.state()).isEqualTo(state);
        assertThat(f.events.transitions()).extracting(TransitionEvent::transition).hasSize(20);
    }
}
