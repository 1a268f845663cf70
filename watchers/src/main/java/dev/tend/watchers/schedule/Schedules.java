package dev.tend.watchers.schedule;

import dev.tend.kv.InvalidInputException;
import dev.tend.units.Durations;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;

/** Reads one item of {@code schedules}: a 5-field cron expression or a descriptor. */
final class Schedules {

    /** The shortest {@code @every} period: shorter ones would be a busy loop of windows. */
    static final Duration MIN_EVERY = Duration.ofSeconds(1);

    private static final Map<String, String> DESCRIPTORS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final String EVERY = "@every";
    private static final String KNOWN = "@hourly, @daily (@midnight), @weekly, @monthly, @yearly (@annually) or "
            + "@every DURATION";

    private Schedules() {
    }

    /**
     * @param text the item as written
     * @param zone the zone cron expressions are read in
     * @throws ScheduleException saying what is wrong (the caller adds the text)
     */
    static Schedule parse(String text, ZoneId zone) throws ScheduleException {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new ScheduleException("is empty");
        }
        if (!t.startsWith("@")) {
            return new CronSchedule(WallClockCron.parse(t), zone);
        }
        String[] parts = t.split("\\s+", 2);
        String word = parts[0].toLowerCase(Locale.ROOT);
        String argument = parts.length > 1 ? parts[1].strip() : "";
        if (word.equals(EVERY)) {
            return every(argument);
        }
        String cron = DESCRIPTORS.get(word);
        if (cron == null) {
            throw new ScheduleException("unknown descriptor " + parts[0] + "; use a cron expression or " + KNOWN);
        }
        if (!argument.isEmpty()) {
            throw new ScheduleException(parts[0] + " takes no argument");
        }
        return new CronSchedule(WallClockCron.parse(cron), zone);
    }

    private static Schedule every(String argument) throws ScheduleException {
        if (argument.isEmpty()) {
            throw new ScheduleException("@every needs a duration, e.g. @every 1h30m");
        }
        Duration period;
        try {
            period = Durations.parse(argument);
        } catch (InvalidInputException e) {
            throw new ScheduleException(e.getMessage());
        }
        if (period.compareTo(MIN_EVERY) < 0) {
            throw new ScheduleException("the period of @every must be at least " + Durations.format(MIN_EVERY)
                    + ", not " + argument);
        }
        return new EverySchedule(period);
    }
}
