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
    /** How every null, boolean and number of the schema starts; most scalars (names, states) start otherwise. */
    private static final String FIRST_CHARACTERS = "~nNtTfF0123456789+-.";
    private static final Pattern BOOL = Pattern.compile("true|True|TRUE|false|False|FALSE");
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
        if (FIRST_CHARACTERS.indexOf(text.charAt(0)) < 0) {
            return text;
        }
        if (BOOL.matcher(text).matches()) {
            return Boolean.valueOf(text.toLowerCase(java.util.Locale.ROOT));
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

    private static Object integer(BigInteger value) {
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }
}
