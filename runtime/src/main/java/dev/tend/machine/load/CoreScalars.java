package dev.tend.machine.load;

import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The type of an unquoted scalar by the YAML 1.2 core schema: {@code null}/{@code ~}/empty, {@code true}/{@code false},
 * integers (decimal, {@code 0o}, {@code 0x}), floats; everything else is a string. YAML 1.1's {@code yes}, {@code no},
 * {@code on}, {@code off} are strings here, as the machine format wants.
 */
final class CoreScalars {

    private static final Set<String> NULL = Set.of("~", "null", "Null", "NULL", "");
    private static final Set<String> BOOL = Set.of("true", "True", "TRUE", "false", "False", "FALSE");
    /** Every character a number of the schema can hold; most scalars (names, states, 10s) hold others. */
    private static final String NUMBER_CHARACTERS = "0123456789+-.eEoxabcdfABCDF";
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern OCTAL = Pattern.compile("0o[0-7]+");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

    private CoreScalars() {
    }

    static boolean isNull(String text) {
        return NULL.contains(text);
    }

    /**
     * The value of an unquoted scalar: {@code null}, {@link Boolean}, {@link Long} (or {@link BigInteger} when too
     * large), {@link Double}, or the text itself. Infinities and NaN stay text (JSON has no such numbers).
     */
    static Object resolve(String text) {
        if (isNull(text)) {
            return null;
        }
        if (BOOL.contains(text)) {
            return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
        }
        if (!couldBeNumber(text)) {
            return text;
        }
        if (DECIMAL.matcher(text).matches()) {
            return integer(new BigInteger(text.startsWith("+") ? text.substring(1) : text));
        }
        if (OCTAL.matcher(text).matches()) {
            return integer(new BigInteger(text.substring(2), 8));
        }
        if (HEX.matcher(text).matches()) {
            return integer(new BigInteger(text.substring(2), 16));
        }
        if (FLOAT.matcher(text).matches()) {
            return Double.valueOf(text);
        }
        return text;
    }

    /** Whether every character can be part of a number: the patterns below are tried only then. */
    private static boolean couldBeNumber(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (NUMBER_CHARACTERS.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Object integer(BigInteger value) {
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }
}
