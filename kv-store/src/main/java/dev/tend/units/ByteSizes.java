package dev.tend.units;

import dev.tend.kv.InvalidInputException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one byte-size syntax of Tend: a plain number of bytes ({@code 1024}) or a number with a unit —
 * {@code B}; {@code KB}, {@code MB}, {@code GB}, {@code TB} (powers of 1000); {@code KiB}, {@code MiB},
 * {@code GiB}, {@code TiB} (powers of 1024). Units are case-insensitive and may follow a space
 * ({@code 10 KiB}); a fraction is allowed when the result is a whole number of bytes ({@code 1.5KiB}).
 *
 * <p>Negative values and words such as {@code unlimited} are not sizes: a caller that has a special value for
 * "no limit" checks for it before calling {@link #parse(String)}.
 */
public final class ByteSizes {

    /** The pattern, in a class of its own: compiled when a size is first parsed, not when one is only formatted. */
    private static final class Syntax {
        static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)[ \\t]*([A-Za-z]*)");
    }

    private static final Map<String, Long> UNITS = Map.of(
            "b", 1L,
            "kb", 1000L,
            "mb", 1000L * 1000,
            "gb", 1000L * 1000 * 1000,
            "tb", 1000L * 1000 * 1000 * 1000,
            "kib", 1024L,
            "mib", 1024L * 1024,
            "gib", 1024L * 1024 * 1024,
            "tib", 1024L * 1024 * 1024 * 1024);

    private static final String HINT = "use bytes or a unit, e.g. 1024, 10KiB or 1MB";

    private ByteSizes() {
    }

    /**
     * Parses a size in bytes, e.g. {@code 1048576}, {@code 1MiB}, {@code 10 KB} or {@code 1.5GiB}.
     * Whitespace around the value is ignored.
     *
     * @throws InvalidInputException when the text is not a size, is negative, or does not fit in a {@code long}
     */
    public static long parse(String text) {
        if (text == null) {
            throw new InvalidInputException("a size is required; " + HINT);
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw invalid(text, "it is empty; " + HINT);
        }
        if (s.startsWith("-")) {
            throw invalid(text, "a size cannot be negative");
        }
        Matcher m = Syntax.SIZE.matcher(s);
        if (!m.matches()) {
            throw invalid(text, HINT);
        }
        String unit = m.group(2);
        long multiplier = 1;
        if (!unit.isEmpty()) {
            Long u = UNITS.get(unit.toLowerCase(Locale.ROOT));
            if (u == null) {
                throw invalid(text, unknownUnit(unit));
            }
            multiplier = u;
        }
        BigDecimal bytes = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1))
                .multiply(BigDecimal.valueOf(multiplier));
        BigInteger whole;
        try {
            whole = bytes.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw invalid(text, "that is " + bytes.stripTrailingZeros().toPlainString()
                    + " bytes; a size must be a whole number of bytes");
        }
        if (whole.bitLength() > 63) {
            throw invalid(text, "too large; the limit is " + Long.MAX_VALUE + " bytes");
        }
        return whole.longValueExact();
    }

    /** A size as Tend shows it: plain bytes, e.g. {@code 1048576}. */
    public static String format(long bytes) {
        return Long.toString(bytes);
    }

    private static String unknownUnit(String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        switch (u) {
            case "k", "m", "g", "t":
                String up = u.toUpperCase(Locale.ROOT);
                return "unknown unit \"" + unit + "\": use " + up + "B (powers of 1000) or " + up
                        + "iB (powers of 1024)";
            case "pb", "pib", "eb", "eib":
                return "unknown unit \"" + unit + "\": the largest units are TB and TiB";
            case "bytes", "byte":
                return "unknown unit \"" + unit + "\": use B or no unit for bytes";
            default:
                return "unknown unit \"" + Durations.shorten(unit) + "\"; use B, KB, MB, GB, TB (powers of 1000)"
                        + " or KiB, MiB, GiB, TiB (powers of 1024)";
        }
    }

    private static InvalidInputException invalid(String text, String reason) {
        return new InvalidInputException("invalid size \"" + Durations.shorten(text) + "\": " + reason);
    }
}
