package dev.tend.watchers.schedule;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.units.Durations;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The {@code schedule} watcher type: windows of {@code duration} opened by cron schedules (docs/watchers.md, section
 * {@code schedule}, which also lists where Tend differs from Choria). The watchers of one factory that share a scheduler
 * (an agent's do) share one timeline of wall-clock alarms on it ({@link ClockAlarms}), made with the first of them and
 * closed by {@link #close()}: no thread of their own.
 */
public final class ScheduleWatcherFactory implements WatcherFactory {

    private static final String TYPE = "schedule";
    /** Tend's own property: not one of Choria's schedule watcher properties. */
    static final String START_IN_WINDOW = "start_in_window";
    /** Any time: a cron expression that never matches does so at every time. */
    private static final Instant NEVER_CHECK_FROM = Instant.parse("2000-01-01T00:00:00Z");

    /** Where a watcher's alarms come from; null for the alarms shared on the watcher's scheduler. */
    private final Function<WatcherContext, Alarms> alarmSource;
    private final Supplier<RandomGenerator> randoms;

    // Guarded by this. By scheduler, compared by identity: in practice one, the runtime's.
    private final Map<ScheduledExecutorService, ClockAlarms> shared = new IdentityHashMap<>();
    private boolean closed;

    /** The agent's factory: alarms on the watchers' scheduler, read against their clock. */
    public ScheduleWatcherFactory() {
        this(null, RandomGenerator::getDefault);
    }

    /**
     * For tests: alarms from {@code alarmSource} (e.g. the machine's manual scheduler) and splay from {@code randoms}.
     */
    ScheduleWatcherFactory(Function<WatcherContext, Alarms> alarmSource, Supplier<RandomGenerator> randoms) {
        this.alarmSource = alarmSource;
        this.randoms = randoms;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(
                PropertySpec.of("schedules", PropertyType.STRING_LIST).required()
                        .describedAs("when windows open: 5-field cron expressions (minute hour day-of-month month "
                                + "day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly, @every DURATION"),
                PropertySpec.of("duration", PropertyType.DURATION).required()
                        .describedAs("how long each window stays on, from its scheduled time"),
                PropertySpec.of("start_splay", PropertyType.DURATION).withDefault(Duration.ZERO)
                        .describedAs("open each window after a random delay in [0, start_splay); at most half of "
                                + "duration"),
                PropertySpec.of("skip_trigger_on_reenter", PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("fire success_transition at most once per window, not again when the machine "
                                + "re-enters a matching state"),
                PropertySpec.of("timezone", PropertyType.STRING)
                        .describedAs("IANA time zone of the cron expressions, e.g. Europe/Berlin (default: the "
                                + "agent's local time zone)"),
                PropertySpec.of(START_IN_WINDOW, PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("Tend only (Choria has no such property): when the watcher starts inside a "
                                + "window, the window counts as opened at once; by default, as in Choria, the watcher "
                                + "waits for the next window"));
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        WatcherProperties p = watcher.properties();
        ZoneId zone = ZoneId.systemDefault();
        if (p.string("timezone") != null) {
            try {
                zone = zone(p);
            } catch (DateTimeException e) {
                problems.report("timezone", "unknown time zone \"" + p.string("timezone")
                        + "\": use an IANA name such as Europe/Berlin or UTC");
            }
        }
        List<String> items = p.stringList("schedules");
        if (items.isEmpty()) {
            problems.report("schedules", "needs at least one schedule");
        }
        for (String item : items) {
            try {
                if (Schedules.parse(item, zone).nextAfter(NEVER_CHECK_FROM).isEmpty()) {
                    problems.report("schedules", "schedule \"" + item + "\" never fires: no date matches it");
                }
            } catch (ScheduleException e) {
                problems.report("schedules", "schedule \"" + item + "\": " + e.getMessage());
            }
        }
        Duration duration = p.duration("duration");
        if (duration.compareTo(Duration.ZERO) <= 0) {
            problems.report("duration", "must be longer than 0s");
        }
        Duration splay = p.duration("start_splay");
        Duration half = duration.dividedBy(2);
        if (splay.compareTo(half) > 0) {
            problems.report("start_splay", "must be at most half of duration (" + Durations.format(half) + "), not "
                    + Durations.format(splay));
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        WatcherProperties p = context.definition().properties();
        ZoneId zone = p.string("timezone") == null ? ZoneId.systemDefault() : zone(p);
        List<Schedule> schedules = new ArrayList<>();
        for (String item : p.stringList("schedules")) {
            try {
                schedules.add(Schedules.parse(item, zone));
            } catch (ScheduleException e) { // validation refused it already; a definition built in code may not be
                throw new IllegalArgumentException("schedule \"" + item + "\": " + e.getMessage(), e);
            }
        }
        ScheduleSettings settings = new ScheduleSettings(schedules, p.stringList("schedules"), p.duration("duration"),
                p.duration("start_splay"), p.bool("skip_trigger_on_reenter"), p.bool(START_IN_WINDOW));
        String owner = "machine " + context.machineName() + ", watcher " + context.definition().name();
        Alarms alarms = alarmSource != null ? alarmSource.apply(context)
                : (when, task) -> alarms(context).at(when, owner, task);
        return new ScheduleWatcher(context, settings, alarms, randoms.get());
    }

    /** Drops every pending alarm. Watchers of this factory get no alarms afterwards. */
    @Override
    public synchronized void close() {
        closed = true;
        shared.values().forEach(ClockAlarms::close);
        shared.clear();
    }

    /** The alarms on {@code context}'s scheduler, made on first use. */
    private synchronized ClockAlarms alarms(WatcherContext context) {
        if (closed) {
            throw new IllegalStateException("the schedule watcher type was closed: no more alarms");
        }
        return shared.computeIfAbsent(context.scheduler(), s -> new ClockAlarms(s, context.clock()));
    }

    private static ZoneId zone(WatcherProperties p) {
        return ZoneId.of(p.string("timezone").strip());
    }
}
