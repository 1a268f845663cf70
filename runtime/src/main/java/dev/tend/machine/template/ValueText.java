package dev.tend.machine.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * How a value reads in text: strings as they are, whole numbers without {@code .0}, other numbers in their shortest
 * form, booleans, and maps and lists as compact JSON (the reference prints Go's {@code map[a:1]} notation, which
 * nothing can read back). Two notations, which differ in what nothing reads as and where numbers turn to exponent
 * notation: {@link #TEMPLATE} for rendered templates, {@link #GO} for Tiny Hiera's placeholders in a text
 * ({@code dev.tend.machine.hiera}).
 */
public final class ValueText {

    /**
     * Rendered templates: {@code <no value>} for nothing (as Go's templates print it), numbers like JavaScript's number
     * to string: plain digits between 1e-7 and 1e21, else {@code 1.5e-9}; {@code 0} for negative zero.
     */
    public static final ValueText TEMPLATE = new ValueText("<no value>", 1e-7, 1, false);

    /**
     * As Go's {@code fmt} prints a value with {@code %v}: {@code <nil>} for nothing, plain digits between 1e-4 and
     * 1e21, else {@code 1e-05} and {@code 1e+21} (at least two exponent digits); {@code -0} for negative zero.
     */
    public static final ValueText GO = new ValueText("<nil>", 1e-4, 2, true);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double PLAIN_BELOW = 1e21;

    private final String nothing;
    private final double plainFrom;
    private final int exponentDigits;
    private final boolean signedZero;

    private ValueText(String nothing, double plainFrom, int exponentDigits, boolean signedZero) {
        this.nothing = nothing;
        this.plainFrom = plainFrom;
        this.exponentDigits = exponentDigits;
        this.signedZero = signedZero;
    }

    public String of(Object value) {
        if (value == null) {
            return nothing;
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

    /** A double in its shortest form: the fewest significant digits that read back as {@code d}. */
    public String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return signedZero && 1 / d < 0 ? "-0" : "0";
        }
        return decimal(new BigDecimal(NumberOutput.toString(d, true)));
    }

    private String decimal(BigDecimal value) {
        BigDecimal b = value.stripTrailingZeros();
        double magnitude = b.abs().doubleValue();
        if (b.signum() == 0) {
            return "0";
        }
        if (magnitude >= plainFrom && magnitude < PLAIN_BELOW) {
            return b.scale() <= 0 ? b.toBigInteger().toString() : b.toPlainString();
        }
        // Scientific: d.ddd e±x, with the digits the value needs and no more.
        BigInteger unscaled = b.unscaledValue().abs();
        String digits = unscaled.toString();
        int exponent = digits.length() - 1 - b.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = String.valueOf(Math.abs(exponent));
        return (b.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent >= 0 ? "+" : "-")
                + "0".repeat(Math.max(0, exponentDigits - exp.length())) + exp;
    }
}
