package dev.tend.watchers.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * A cron expression in a time zone, with cron's daylight saving rules (crontab(5)): a time that falls in an hour the
 * clocks skip fires once, when they jump; a time in an hour the clocks repeat fires only the first time. Schedules whose
 * minute or hour field starts with {@code *} ({@link WallClockCron#isWildcard()}) follow the clock as it reads instead:
 * skipped times do not fire and repeated ones fire again, so {@code *}{@code /15 * * * *} keeps its pace through both
 * changes.
 *
 * <p>The search walks the zone's offset periods: within one period wall-clock time maps to instants one to one.
 */
record CronSchedule(WallClockCron cron, ZoneId zone) implements Schedule {

    /** Offset changes searched before giving up (two a year, so centuries). */
    private static final int MAX_PERIODS = 1_000;

    @Override
    public Optional<Instant> nextAfter(Instant after) {
        ZoneRules rules = zone.getRules();
        Instant start = after;
        boolean inclusive = false; // whether a match at exactly `start` counts
        if (!cron.isWildcard()) {
            Instant endOfRepeat = endOfRepeatedHour(rules, after);
            if (endOfRepeat != null) {
                start = endOfRepeat;
                inclusive = true;
            }
        }
        for (int i = 0; i < MAX_PERIODS; i++) {
            ZoneOffset offset = rules.getOffset(start);
            ZoneOffsetTransition change = rules.nextTransition(start);
            LocalDateTime from = LocalDateTime.ofInstant(start, offset);
            Optional<LocalDateTime> wall = cron.nextAfter(inclusive ? from.minusNanos(1) : from);
            if (wall.isEmpty()) {
                return Optional.empty();
            }
            Instant candidate = wall.get().toInstant(offset);
            if (change == null || candidate.isBefore(change.getInstant())) {
                return Optional.of(candidate);
            }
            if (change.isGap() && !cron.isWildcard()) {
                Optional<LocalDateTime> skipped = cron.nextAfter(change.getDateTimeBefore().minusNanos(1));
                if (skipped.isPresent() && skipped.get().isBefore(change.getDateTimeAfter())) {
                    return Optional.of(change.getInstant()); // cron runs what the clocks skipped when they jump
                }
            }
            start = change.getInstant();
            if (change.isOverlap() && !cron.isWildcard()) {
                start = start.plus(change.getDuration().abs()); // fixed times do not fire again in the repeated hour
            }
            inclusive = true;
        }
        return Optional.empty();
    }

    /** When {@code at} lies in the second pass of a repeated hour: the end of it; otherwise null. */
    private static Instant endOfRepeatedHour(ZoneRules rules, Instant at) {
        ZoneOffsetTransition previous = rules.previousTransition(at.plusNanos(1)); // at or before `at`
        if (previous == null || !previous.isOverlap()) {
            return null;
        }
        Instant end = previous.getInstant().plus(previous.getDuration().abs());
        return at.isBefore(end) ? end : null;
    }
}
