package dev.tend.machine.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * How a value reads in rendered text: strings as they are, whole numbers without {@code .0}, other numbers in their
 * shortest form, booleans, {@code <no value>} for nothing (as Go prints it), and maps and lists as compact JSON (the
 * reference prints Go's {@code map[a:1]} notation, which nothing can read back).
 */
final class ValueText {

    static final String NO_VALUE = "<no value>";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double PLAIN_MIN = 1e-7;
    private static final double PLAIN_MAX = 1e21;

    private ValueText() {
    }

    static String of(Object value) {
        if (value == null) {
            return NO_VALUE;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Double d) {
            return number(d);
        }
        if (value instanceof Float f) {
            return number(Double.parseDouble(f.toString()));
        }
        if (value instanceof BigDecimal b) {
            return decimal(b);
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return value.toString();
            }
        }
        return value.toString();
    }

    /** Like JavaScript's number to string: plain digits between 1e-7 and 1e21, else {@code 1.5e-9}. */
    static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return "0";
        }
        return decimal(new BigDecimal(Double.toString(d)));
    }

    private static String decimal(BigDecimal value) {
        BigDecimal b = value.stripTrailingZeros();
        double magnitude = b.abs().doubleValue();
        if (b.signum() == 0) {
            return "0";
        }
        if (magnitude >= PLAIN_MIN && magnitude < PLAIN_MAX) {
            return b.scale() <= 0 ? b.toBigInteger().toString() : b.toPlainString();
        }
        // Scientific: d.ddd e±x, with the digits the value needs and no more.
        BigInteger unscaled = b.unscaledValue().abs();
        String digits = unscaled.toString();
        int exponent = digits.length() - 1 - b.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (b.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent >= 0 ? "+" : "") + exponent;
    }
}
