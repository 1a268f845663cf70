package dev.tend.watchers.timer;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The {@code timer} watcher type: a timer that starts when the machine enters a matching state, restarts on every
 * further transition into one, stops when the machine leaves them, and fires {@code fail_transition} when it expires.
 * It has no success outcome: a {@code success_transition} is never fired, and loads with a warning (docs/watchers.md,
 * section {@code timer}).
 */
public final class TimerWatcherFactory implements WatcherFactory {

    public static final String TYPE = "timer";
    /** Shorter timers run for this long, as in the reference. */
    static final Duration MINIMUM = Duration.ofSeconds(1);

    /** Chooses each watcher's splay; shared by the machines of one runtime, so used under its own lock. */
    private final RandomGenerator random;

    public TimerWatcherFactory() {
        this(RandomGenerator.getDefault());
    }

    /** For tests: a known splay. */
    TimerWatcherFactory(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(
                PropertySpec.of("timer", PropertyType.DURATION).withDefault(MINIMUM)
                        .describedAs("how long the timer runs before it fires fail_transition (at least 1s)"),
                PropertySpec.of("splay", PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("run for a random time in [0, timer) instead, chosen once per watcher"));
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        if (!watcher.successTransition().isEmpty()) {
            problems.warn(null, "a timer watcher has no success outcome: success_transition \""
                    + watcher.successTransition() + "\" is never fired (it fires only fail_transition, when the timer "
                    + "expires)");
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        return new TimerWatcher(context, length(context.definition()));
    }

    /** The time each run of this watcher lasts: {@code timer} (at least 1 s), or with {@code splay} a random part of it. */
    private Duration length(WatcherDefinition definition) {
        Duration timer = definition.properties().duration("timer");
        if (timer.compareTo(MINIMUM) < 0) {
            timer = MINIMUM;
        }
        if (!definition.properties().bool("splay")) {
            return timer;
        }
        long nanos;
        synchronized (random) {
            nanos = random.nextLong(timer.toNanos());
        }
        return Duration.ofNanos(nanos);
    }
}
