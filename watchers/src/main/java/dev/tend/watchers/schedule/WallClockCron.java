package dev.tend.watchers.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 5-field UNIX cron expression matched against wall-clock date-times (no zone, so no daylight saving), parsed and
 * matched by cron-utils with three corrections for cron's own rules:
 * <ul>
 *   <li>Day rule: when day-of-month and day-of-week are both restricted, either may match; but a field that starts with
 *   {@code *} (such as {@code *}{@code /10}) is not restricted, so then both must match (crontab(5), and the reference's
 *   robfig/cron). cron-utils reads {@code *}{@code /10} as restricted, so that case is matched here.</li>
 *   <li>Names: cron-utils reads {@code SUN} as 7 in a range ({@code SUN-SAT} fails), so month and weekday names are
 *   turned into numbers (Sunday 0) first.</li>
 *   <li>{@code ?} (the reference's "any") is {@code *}.</li>
 * </ul>
 */
final class WallClockCron {

    private static final List<String> FIELD_NAMES = List.of("minute", "hour", "day-of-month", "month", "day-of-week");
    private static final Map<String, String> MONTHS = Map.ofEntries(Map.entry("JAN", "1"), Map.entry("FEB", "2"),
            Map.entry("MAR", "3"), Map.entry("APR", "4"), Map.entry("MAY", "5"), Map.entry("JUN", "6"),
            Map.entry("JUL", "7"), Map.entry("AUG", "8"), Map.entry("SEP", "9"), Map.entry("OCT", "10"),
            Map.entry("NOV", "11"), Map.entry("DEC", "12"));
    private static final Map<String, String> WEEKDAYS = Map.of("SUN", "0", "MON", "1", "TUE", "2", "WED", "3",
            "THU", "4", "FRI", "5", "SAT", "6");
    private static final Pattern WORD = Pattern.compile("[A-Za-z]+");
    private static final Pattern BACKWARD_RANGE = Pattern.compile("Invalid range! \\[(\\d+),(\\d+)]");
    /** More matching days than any expression has in 28 years (after which weekdays and dates repeat). */
    private static final int MAX_DAYS_TRIED = 20_000;

    private final ExecutionTime times;
    /** Only when both day fields must match: the days {@link #times} (day-of-month only) must also be on. */
    private final ExecutionTime weekdays;
    private final boolean wildcard;

    private WallClockCron(ExecutionTime times, ExecutionTime weekdays, boolean wildcard) {
        this.times = times;
        this.weekdays = weekdays;
        this.wildcard = wildcard;
    }

    /**
     * @param expression five fields separated by white space
     * @throws ScheduleException naming the field that is wrong
     */
    static WallClockCron parse(String expression) throws ScheduleException {
        String[] fields = expression.strip().split("\\s+");
        if (fields.length != 5) {
            throw new ScheduleException("has " + fields.length + (fields.length == 1 ? " field" : " fields")
                    + "; a cron schedule has 5: minute hour day-of-month month day-of-week");
        }
        for (int i = 0; i < 5; i++) {
            fields[i] = normalized(i, fields[i]);
        }
        CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        for (int i = 0; i < 5; i++) {
            check(parser, fields, i);
        }
        Cron all = parseOrExplain(parser, String.join(" ", fields), "the expression");
        String dom = fields[2];
        String dow = fields[4];
        boolean bothMustMatch = !dom.equals("*") && !dow.equals("*") && (dom.startsWith("*") || dow.startsWith("*"));
        boolean wildcard = fields[0].startsWith("*") || fields[1].startsWith("*");
        if (!bothMustMatch) {
            return new WallClockCron(ExecutionTime.forCron(all), null, wildcard);
        }
        Cron days = parseOrExplain(parser, fields[0] + " " + fields[1] + " " + dom + " " + fields[3] + " *",
                "the expression");
        Cron weekdays = parseOrExplain(parser, "0 0 * * " + dow, "the day-of-week field");
        return new WallClockCron(ExecutionTime.forCron(days), ExecutionTime.forCron(weekdays), wildcard);
    }

    /**
     * Whether the minute or hour field starts with {@code *}: such a schedule follows the clock as it reads (a repeated
     * hour fires again, a skipped one does not), while a fixed time fires once a day whatever the clocks do (cron's
     * daylight saving rule).
     */
    boolean isWildcard() {
        return wildcard;
    }

    /** The first matching wall-clock time strictly after {@code wall}, or empty when the expression never matches. */
    Optional<LocalDateTime> nextAfter(LocalDateTime wall) {
        ZonedDateTime from = wall.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
        for (int i = 0; i < MAX_DAYS_TRIED; i++) {
            Optional<ZonedDateTime> next = times.nextExecution(from);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            ZonedDateTime day = next.get().truncatedTo(ChronoUnit.DAYS);
            if (weekdays == null || weekdays.isMatch(day)) {
                return Optional.of(next.get().toLocalDateTime());
            }
            from = day.plusDays(1).minusSeconds(1); // the next day, from its first minute
        }
        return Optional.empty();
    }

    private static String normalized(int field, String text) {
        if (text.equals("?")) {
            return "*";
        }
        Map<String, String> names = field == 3 ? MONTHS : field == 4 ? WEEKDAYS : Map.of();
        if (names.isEmpty()) {
            return text;
        }
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String number = names.get(m.group().toUpperCase(Locale.ROOT));
            m.appendReplacement(out, Matcher.quoteReplacement(number == null ? m.group() : number));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Parses field {@code i} alone (the others {@code *}), so a problem is reported with the field's name. */
    private static void check(CronParser parser, String[] fields, int i) throws ScheduleException {
        String[] probe = {"*", "*", "*", "*", "*"};
        probe[i] = fields[i];
        parseOrExplain(parser, String.join(" ", probe), FIELD_NAMES.get(i) + " field \"" + fields[i] + "\"");
    }

    private static Cron parseOrExplain(CronParser parser, String expression, String what) throws ScheduleException {
        try {
            return parser.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new ScheduleException(what + ": " + explain(e.getMessage()));
        }
    }

    /** cron-utils' message, without its preamble and upper-cased echoes. */
    private static String explain(String message) {
        String m = message == null ? "not valid" : message.replace("Failed to parse cron expression. ", "").strip();
        if (m.startsWith("Invalid chars in expression")) {
            return "unexpected characters (use numbers, *, ranges a-b, lists a,b, steps /n, or three-letter names)";
        }
        Matcher range = BACKWARD_RANGE.matcher(m);
        if (range.find()) {
            return "the range " + range.group(1) + "-" + range.group(2) + " goes backwards";
        }
        return m.isEmpty() ? "not valid" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
