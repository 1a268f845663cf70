package dev.tend.machine.load;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The reference's weak typing, from the text written: numbers and booleans are text where text is wanted, numeric text is
 * a number, {@code "true"}/{@code 1} are booleans.
 */
final class LooseValues {

    /** What Go's strconv.ParseBool takes, case-insensitively, plus YAML 1.1's yes/no/on/off. */
    static final Set<String> TRUE_WORDS = Set.of("true", "t", "yes", "on", "1");
    static final Set<String> FALSE_WORDS = Set.of("false", "f", "no", "off", "0");
    /** Every text form {@link #integer} takes (and fractions it refuses), for the JSON Schema. */
    static final String NUMBER_PATTERN = "^\\s*[-+]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?"
            + "|0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+)\\s*$";
    /** The same boolean words as a case-insensitive pattern that ECMA and Java regular expressions both read. */
    static final String BOOLEAN_PATTERN = "^\\s*([Tt]([Rr][Uu][Ee])?|[Ff]([Aa][Ll][Ss][Ee])?|[Yy][Ee][Ss]|[Nn][Oo]"
            + "|[Oo][Nn]|[Oo][Ff][Ff]|[01])\\s*$";

    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern PREFIXED = Pattern.compile("([-+]?)0([xXoObB])([0-9a-fA-F]+)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

    private LooseValues() {
    }

    /** The text of a scalar; lists and mappings are refused. */
    static String text(YamlNode node) throws ValueException {
        if (node instanceof YamlNode.Scalar s) {
            return s.text();
        }
        throw new ValueException("must be text, not " + node.describe());
    }

    static boolean bool(YamlNode node) throws ValueException {
        if (node instanceof YamlNode.Scalar s) {
            String word = s.text().strip().toLowerCase(Locale.ROOT);
            if (TRUE_WORDS.contains(word)) {
                return true;
            }
            if (FALSE_WORDS.contains(word)) {
                return false;
            }
        }
        throw new ValueException("must be true or false, not " + node.describe());
    }

    /** A whole number: decimal, {@code 0x}/{@code 0o}/{@code 0b}, or a number with no fraction ({@code 10.0}). */
    static long integer(YamlNode node) throws ValueException {
        if (node instanceof YamlNode.Scalar s) {
            String t = s.text().strip();
            try {
                BigInteger value = null;
                if (DECIMAL.matcher(t).matches()) {
                    value = new BigInteger(t.startsWith("+") ? t.substring(1) : t);
                } else if (PREFIXED.matcher(t).matches()) {
                    var m = PREFIXED.matcher(t);
                    m.matches();
                    int radix = switch (Character.toLowerCase(m.group(2).charAt(0))) {
                        case 'x' -> 16;
                        case 'o' -> 8;
                        default -> 2;
                    };
                    value = new BigInteger(m.group(3), radix);
                    value = m.group(1).equals("-") ? value.negate() : value;
                } else if (FLOAT.matcher(t).matches()) {
                    BigDecimal d = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
                    if (d.stripTrailingZeros().scale() > 0) {
                        throw new ValueException("must be a whole number, not " + node.describe());
                    }
                    value = d.toBigIntegerExact();
                }
                if (value != null) {
                    if (value.bitLength() >= 64) {
                        throw new ValueException("is too large: " + node.describe());
                    }
                    return value.longValue();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // not a number after all: reported below
            }
        }
        throw new ValueException("must be a whole number, not " + node.describe());
    }
}
