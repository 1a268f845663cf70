package dev.tend.units;

import dev.tend.kv.InvalidInputException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * The one duration syntax of Tend: Go's ({@code time.ParseDuration}) with two more units.
 *
 * <p>A duration is a sequence of decimal numbers, each with a unit: {@code ns}, {@code us} (or {@code µs}),
 * {@code ms}, {@code s}, {@code m}, {@code h}, and {@code d} (24h) and {@code w} (7d). Parts combine and may have
 * a fraction: {@code 1d12h}, {@code 1h30m}, {@code 500ms}, {@code 1.5h}. An optional leading sign applies to the
 * whole value, as in Go. A bare {@code 0} means zero; every other number needs a unit. Units are case-sensitive,
 * and {@code M} and {@code y} are refused because months and years have no fixed length.
 *
 * <p>Values are limited to what fits in a signed 64-bit count of nanoseconds (about 292 years), as in Go and
 * NATS. Errors are {@link InvalidInputException}s with a one-line message that names the input and gives a hint.
 */
public final class Durations {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_HOUR = 3600 * NANOS_PER_SECOND;
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger MIN_NANOS = BigInteger.valueOf(Long.MIN_VALUE);

    /** Nanoseconds per unit. */
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // micro sign
            "\u03bcs", 1_000L, // Greek small letter mu
            "ms", 1_000_000L,
            "s", NANOS_PER_SECOND,
            "m", 60 * NANOS_PER_SECOND,
            "h", NANOS_PER_HOUR,
            "d", 24 * NANOS_PER_HOUR,
            "w", 7 * 24 * NANOS_PER_HOUR);

    private static final String UNIT_LIST = "ns, us, ms, s, m, h, d, w";

    private Durations() {
    }

    /**
     * Parses a duration such as {@code 10s}, {@code 1h30m}, {@code 1.5h}, {@code 1d12h} or {@code 0}.
     * Whitespace around the value is ignored.
     *
     * @throws InvalidInputException when the text is not a duration; the message says why and how to fix it
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new InvalidInputException("a duration is required, e.g. 10s, 5m or 1h30m");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw new InvalidInputException("invalid duration \"\": it is empty; use e.g. 10s, 5m or 1h30m");
        }
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            i++;
        }
        final int bodyStart = i;
        String body = s.substring(bodyStart);
        if (body.equals("0")) {
            return Duration.ZERO;
        }
        if (body.isEmpty()) {
            throw invalid(text, "a number is missing, e.g. " + s + "10s");
        }
        // Go allows one nanosecond more below zero than above it.
        BigInteger limit = negative ? MAX_NANOS.add(BigInteger.ONE) : MAX_NANOS;
        BigInteger total = BigInteger.ZERO;
        int n = s.length();
        while (i < n) {
            // The number: digits, optionally a '.' and more digits; at least one digit in all.
            int numStart = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            boolean digits = i > numStart;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int fracStart = i;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                digits |= i > fracStart;
            }
            String number = s.substring(numStart, i);
            if (!digits) {
                throw invalid(text, i < n ? "expected a number before \"" + unitAt(s, i) + "\"" : "expected a number");
            }
            // The unit: everything up to the next digit or '.'.
            int unitStart = i;
            while (i < n && !isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                if (numStart == bodyStart && unitStart == n) {
                    throw invalid(text, "add a unit, e.g. " + s + "s");
                }
                throw invalid(text, "add a unit after " + number + " (" + UNIT_LIST + ")");
            }
            Long unitNanos = UNITS.get(unit);
            if (unitNanos == null) {
                throw invalid(text, unknownUnit(unit));
            }
            BigInteger nanos = new BigDecimal(number.startsWith(".") ? "0" + number : number)
                    .multiply(BigDecimal.valueOf(unitNanos))
                    .setScale(0, RoundingMode.DOWN)
                    .toBigIntegerExact();
            total = total.add(nanos);
            if (total.compareTo(limit) > 0) {
                throw invalid(text, "too long; the limit is " + format(Duration.ofNanos(Long.MAX_VALUE))
                        + " (about 292 years)");
            }
        }
        return Duration.ofNanos((negative ? total.negate() : total).longValueExact());
    }

    /**
     * Formats a duration as Go does: {@code 0s}, {@code 500ms}, {@code 1.5µs}, {@code 1m0s}, {@code 1h30m0s},
     * {@code 36h0m0s}, {@code -2.5s}. The result parses back to the same duration.
     */
    public static String format(Duration duration) {
        BigInteger nanos = BigInteger.valueOf(duration.getSeconds()).multiply(BigInteger.valueOf(NANOS_PER_SECOND))
                .add(BigInteger.valueOf(duration.getNano()));
        if (nanos.signum() == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (nanos.signum() < 0) {
            out.append('-');
            nanos = nanos.negate();
        }
        BigInteger[] secAndNanos = nanos.divideAndRemainder(BigInteger.valueOf(NANOS_PER_SECOND));
        BigInteger seconds = secAndNanos[0];
        long fraction = secAndNanos[1].longValueExact();
        if (seconds.signum() == 0) {
            // Under a second: the largest unit that keeps the integer part non-zero.
            if (fraction < 1_000) {
                out.append(fraction).append("ns");
            } else if (fraction < 1_000_000) {
                out.append(decimal(fraction, 1_000)).append("\u00b5s");
            } else {
                out.append(decimal(fraction, 1_000_000)).append("ms");
            }
            return out.toString();
        }
        BigInteger[] hoursAndRest = seconds.divideAndRemainder(BigInteger.valueOf(3600));
        long rest = hoursAndRest[1].longValueExact();
        long minutes = rest / 60;
        long secs = rest % 60;
        if (hoursAndRest[0].signum() > 0) {
            out.append(hoursAndRest[0]).append('h').append(minutes).append('m');
        } else if (minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(decimal(secs * NANOS_PER_SECOND + fraction, NANOS_PER_SECOND)).append('s');
        return out.toString();
    }

    /** {@code value / unit} in decimal without trailing zeros, e.g. 1500/1000 = "1.5". */
    private static String decimal(long value, long unit) {
        long whole = value / unit;
        long frac = value % unit;
        if (frac == 0) {
            return Long.toString(whole);
        }
        // The fraction's digits, zero-padded to the unit's and without trailing zeros; by hand rather than with
        // String.format and a regular expression, whose first use costs a short command milliseconds.
        int digits = Long.toString(unit).length() - 1;
        StringBuilder b = new StringBuilder().append(whole).append('.');
        String f = Long.toString(frac);
        for (int i = f.length(); i < digits; i++) {
            b.append('0');
        }
        int end = f.length();
        while (f.charAt(end - 1) == '0') {
            end--;
        }
        return b.append(f, 0, end).toString();
    }

    private static String unknownUnit(String unit) {
        switch (unit) {
            case "M":
                return "unknown unit \"M\": months have no fixed length; use m for minutes, or d or w";
            case "y":
            case "Y":
                return "unknown unit \"" + unit + "\": years have no fixed length; use d, e.g. 365d";
            case "mo":
            case "mon":
                return "unknown unit \"" + unit + "\": months have no fixed length; use d or w, e.g. 30d";
            default:
                break;
        }
        String lower = unit.toLowerCase(java.util.Locale.ROOT);
        if (!lower.equals(unit) && UNITS.containsKey(lower)) {
            return "unknown unit \"" + unit + "\": units are lower case, e.g. " + lower;
        }
        if (unit.isBlank() || !unit.strip().equals(unit)) {
            return "unexpected space; write the value without spaces, e.g. 1h30m";
        }
        return "unknown unit \"" + shorten(unit) + "\"; use " + UNIT_LIST;
    }

    private static String unitAt(String s, int i) {
        int end = i;
        while (end < s.length() && !isDigit(s.charAt(end)) && s.charAt(end) != '.') {
            end++;
        }
        return shorten(s.substring(i, end));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static InvalidInputException invalid(String text, String reason) {
        return new InvalidInputException("invalid duration \"" + shorten(text) + "\": " + reason);
    }

    /** Keeps a message on one line and short whatever the user typed. */
    static String shorten(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                b.append('\\').appendCodePoint(cp);
            } else if (Character.isISOControl(cp)) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        String t = b.toString();
        return t.length() <= 40 ? t : t.substring(0, 18) + "..." + t.substring(t.length() - 18);
    }
}
