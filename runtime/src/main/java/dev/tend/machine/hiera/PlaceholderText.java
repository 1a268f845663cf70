package dev.tend.machine.hiera;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How an expression's value reads when it is part of a longer text ({@code env:{{ lookup('facts.env') }}}), as the
 * reference prints it: strings as they are, {@code <nil>} for nil, booleans and whole numbers plainly, other numbers in
 * their shortest form ({@code 1.5}; {@code 1e-05} and {@code 1e+21} outside [1e-4, 1e21)). Maps and lists read as compact
 * JSON, as in Tend's templates (the reference prints Go's {@code map[a:1]}, which nothing reads back).
 */
final class PlaceholderText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlaceholderText() {
    }

    static String of(Object value) {
        if (value == null) {
            return "<nil>";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Double d) {
            return number(d);
        }
        if (value instanceof java.util.Map<?, ?> || value instanceof java.util.List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }

    static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return (1 / d) < 0 ? "-0" : "0";
        }
        BigDecimal b = shortest(d);
        int exponent = b.precision() - b.scale() - 1;
        if (exponent < -4 || exponent >= 21) {
            String digits = b.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.valueOf(Math.abs(exponent));
            return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" : "")
                    + exp;
        }
        return b.scale() <= 0 ? b.toBigInteger().toString() : b.toPlainString();
    }

    /** The fewest significant digits that read back as {@code d}. */
    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal rounded = exact.round(new MathContext(digits));
            if (rounded.doubleValue() == d) {
                return rounded.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17)).stripTrailingZeros();
    }
}
