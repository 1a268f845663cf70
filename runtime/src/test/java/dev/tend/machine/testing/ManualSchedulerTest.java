package dev.tend.machine.testing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ManualSchedulerTest {

    private final ManualScheduler scheduler = new ManualScheduler(Instant.parse("2024-01-01T00:00:00Z"));
    private final List<String> ran = new ArrayList<>();

    @Test
    void runsDueTasksInOrderOfDueTimeThenSubmissionAtTheirTime() {
        scheduler.schedule(() -> ran.add("b@" + scheduler.now()), 2, TimeUnit.SECONDS);
        scheduler.schedule(() -> ran.add("a@" + scheduler.now()), 1, TimeUnit.SECONDS);
        scheduler.execute(() -> ran.add("now1"));
        scheduler.execute(() -> ran.add("now2"));
        assertThat(ran).as("nothing runs by itself").isEmpty();

        scheduler.runDue();
        assertThat(ran).containsExactly("now1", "now2");
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(ran).containsExactly("now1", "now2", "a@2024-01-01T00:00:01Z", "b@2024-01-01T00:00:02Z");
        assertThat(scheduler.clock().instant()).isEqualTo(Instant.parse("2024-01-01T00:00:05Z"));
    }

    @Test
    void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
        scheduler.schedule(() -> scheduler.schedule(() -> ran.add("inner"), 1, TimeUnit.SECONDS), 1, TimeUnit.SECONDS);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(ran).containsExactly("inner");
    }

    @Test
    void periodicTasksRepeatAndCancelledOnesDoNotRun() {
        ScheduledFuture<?> tick = scheduler.scheduleAtFixedRate(() -> ran.add("tick"), 1, 1, TimeUnit.MINUTES);
        ScheduledFuture<?> never = scheduler.schedule(() -> ran.add("never"), 30, TimeUnit.SECONDS);
        never.cancel(false);
        scheduler.advance(Duration.ofMinutes(3));
        assertThat(ran).containsExactly("tick", "tick", "tick");
        tick.cancel(false);
        scheduler.advance(Duration.ofMinutes(3));
        assertThat(ran).hasSize(3);
        assertThat(scheduler.pending()).isZero();
        assertThat(scheduler.nextDelay()).isEmpty();
    }

    @Test
    void fixedDelayCountsFromTheEndOfTheRunAndNextDelayTellsWhatIsNext() {
        scheduler.scheduleWithFixedDelay(() -> ran.add("at " + scheduler.now().getEpochSecond() % 60), 10, 20,
                TimeUnit.SECONDS);
        assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(10));
        scheduler.advance(Duration.ofSeconds(55));
        assertThat(ran).containsExactly("at 10", "at 30", "at 50");
        assertThat(scheduler.nextDelay()).contains(Duration.ofSeconds(15));
    }
}
