package dev.tend.machine.json;

import com.fasterxml.jackson.core.io.NumberOutput;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.Predicate;

/**
 * A double or float as Go's {@code encoding/json} writes a float64 or float32: the shortest decimal that reads back as
 * the same number, in plain notation ({@code 22194048}, {@code 0.5}, {@code 0.000001}), or in exponent notation when the
 * magnitude is below 1e-6 or at least 1e21, with a sign on the exponent and no leading zeros in it ({@code 1e+21},
 * {@code 1e-7}, {@code 1.5e-10}). Zero is {@code 0}, negative zero {@code -0}. NaN and the infinities have no JSON
 * form (Go refuses them): {@link #isWritable} tells them apart, and {@link #format} refuses them.
 */
public final class GoFloat {

    private static final double PLAIN_FROM = 1e-6;
    private static final double PLAIN_BELOW = 1e21;

    private GoFloat() {
    }

    /** Whether the number has a JSON form: not NaN nor infinite. */
    public static boolean isWritable(double value) {
        return Double.isFinite(value);
    }

    /**
     * @throws IllegalArgumentException for NaN and the infinities
     */
    public static String format(double value) {
        if (!isWritable(value)) {
            throw new IllegalArgumentException(value + " has no JSON form");
        }
        if (value == 0) {
            return zero(value);
        }
        double abs = Math.abs(value);
        BigDecimal shortest = shortest(NumberOutput.toString(value, true), s -> Double.parseDouble(s) == value);
        return format(shortest, value < 0, abs >= PLAIN_FROM && abs < PLAIN_BELOW);
    }

    /**
     * A float32 as Go writes one: its own shortest decimal (a float's 0.1 is {@code 0.1}, not the double's digits).
     *
     * @throws IllegalArgumentException for NaN and the infinities
     */
    public static String format(float value) {
        if (!isWritable(value)) {
            throw new IllegalArgumentException(value + " has no JSON form");
        }
        if (value == 0) {
            return zero(value);
        }
        float abs = Math.abs(value);
        BigDecimal shortest = shortest(NumberOutput.toString(value, true), s -> Float.parseFloat(s) == value);
        return format(shortest, value < 0, abs >= (float) PLAIN_FROM && abs < (float) PLAIN_BELOW);
    }

    private static String zero(double value) {
        return Double.doubleToRawLongBits(value) < 0 ? "-0" : "0";
    }

    /**
     * The shortest decimal that reads back as the number, as Go chooses it.
     *
     * @param java       Java's notation of the number (Jackson's Schubfach writer: {@code 2.2194048E7}), the shortest
     *                   decimal that reads back the same except that Java writes two digits where one would do,
     *                   choosing the two closest to the number ({@code 4.9E-324} where Go writes {@code 5e-324})
     * @param readsBack  whether a decimal reads back as the number
     */
    private static BigDecimal shortest(String java, Predicate<String> readsBack) {
        BigDecimal decimal = new BigDecimal(java).stripTrailingZeros();
        if (decimal.precision() == 2) {
            BigDecimal oneDigit = decimal.round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (readsBack.test(oneDigit.toString())) {
                return oneDigit;
            }
        }
        return decimal;
    }

    private static String format(BigDecimal decimal, boolean negative, boolean plain) {
        if (plain) {
            return decimal.toPlainString();
        }
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        StringBuilder text = new StringBuilder(digits.length() + 8);
        if (negative) {
            text.append('-');
        }
        text.append(digits.charAt(0));
        if (digits.length() > 1) {
            text.append('.').append(digits, 1, digits.length());
        }
        return text.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent)).toString();
    }
}
