package dev.tend.machine.load;

import dev.tend.kv.InvalidInputException;
import dev.tend.units.Durations;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two duration syntaxes of machine files (docs/machines.md, Values). Both build on Tend's one duration parser,
 * {@link Durations} (Go's syntax plus {@code d} and {@code w}); neither accepts a negative duration.
 *
 * <ul>
 *   <li>{@link #property}: watcher property durations, Go syntax ({@code 300ms}, {@code 1.5s}, {@code 2h45m}). A bare
 *   number other than 0 is refused with a hint rather than read as nanoseconds, as the reference would.</li>
 *   <li>{@link #extended}: the common {@code interval} and {@code announce_interval}: empty is zero; one number (with
 *   a fraction or exponent) followed by {@code w}/{@code W} (weeks), {@code d}/{@code D} (days), {@code M} (30-day
 *   months) or {@code y}/{@code Y} (365-day years), truncated to whole hours as in the reference; anything else is a
 *   duration as above.</li>
 * </ul>
 */
final class MachineDurations {

    /** Go syntax with Tend's d and w, as {@link Durations} reads it, without a minus sign: for the JSON Schema. */
    static final String PROPERTY_PATTERN = "^\\s*\\+?(0|((\\.[0-9]+|[0-9]+(\\.[0-9]*)?)(ns|us|\u00b5s|\u03bcs|ms|s|m|h|d|w))+)\\s*$";
    /** One number with a calendar suffix: the extended syntax's own form, for the JSON Schema. */
    static final String CALENDAR_PATTERN = "^\\s*\\+?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?[wWdDMyY]\\s*$";

    private static final Pattern CALENDAR = Pattern.compile("\\s*([-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?)"
            + "([wWdDMyY])\\s*");
    private static final BigDecimal NANOS_PER_HOUR = BigDecimal.valueOf(3_600_000_000_000L);
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private MachineDurations() {
    }

    /** A watcher property's duration. */
    static Duration property(String text) throws ValueException {
        return nonNegative(text, go(text));
    }

    /** The common {@code interval} and {@code announce_interval}. */
    static Duration extended(String text) throws ValueException {
        if (text.isBlank()) {
            return Duration.ZERO;
        }
        Matcher m = CALENDAR.matcher(text);
        if (!m.matches()) {
            return property(text);
        }
        BigDecimal count;
        try {
            count = new BigDecimal(m.group(1).startsWith("+") ? m.group(1).substring(1) : m.group(1));
        } catch (NumberFormatException e) {
            throw invalid(text, "not a number before the unit");
        }
        if (m.group(1).startsWith("-")) {
            throw invalid(text, "must not be negative");
        }
        long hoursPerUnit = switch (m.group(5)) {
            case "w", "W" -> 7 * 24;
            case "d", "D" -> 24;
            case "M" -> 30 * 24;
            default -> 365 * 24;
        };
        BigInteger hours = count.multiply(BigDecimal.valueOf(hoursPerUnit)).setScale(0, RoundingMode.DOWN)
                .toBigInteger();
        BigInteger nanos = new BigDecimal(hours).multiply(NANOS_PER_HOUR).toBigInteger();
        if (nanos.compareTo(MAX_NANOS) > 0) {
            throw invalid(text, "too long; the limit is about 292 years");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static Duration go(String text) throws ValueException {
        try {
            return Durations.parse(text);
        } catch (InvalidInputException e) {
            throw new ValueException(e.getMessage());
        }
    }

    private static Duration nonNegative(String text, Duration d) throws ValueException {
        if (d.isNegative() || text.strip().startsWith("-")) {
            throw invalid(text, "must not be negative");
        }
        return d;
    }

    private static ValueException invalid(String text, String reason) {
        return new ValueException("invalid duration " + MessageText.quote(text) + ": " + reason);
    }
}
