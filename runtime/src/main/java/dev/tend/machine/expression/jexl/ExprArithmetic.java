package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.ValueTypes;
import org.apache.commons.jexl3.JexlArithmetic;
import org.apache.commons.jexl3.JexlOperator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * JEXL's operators with expr's meaning: no coercion between types (a mismatch is an {@link ExprError}), integers and
 * floats compared by value, {@code /} always a float division, booleans required where a condition is, {@code =~} as
 * expr's {@code in} (a list's element, a map's key) or, with a string on the right, {@code matches} (a regular
 * expression found anywhere, as Go's {@code MatchString}), {@code ===} as expr's {@code contains} (a substring), and
 * field and index access limited to maps, lists and strings, so that an expression never reaches a Java method.
 * Array and map literals are built as {@link List} and {@link Map}. Nil operands reach these methods (the arithmetic is
 * strict for no operator, {@link #isStrict(JexlOperator)}), and each operator decides, as expr does.
 */
public final class ExprArithmetic extends JexlArithmetic {

    private static final int PATTERN_CACHE = 256;

    /** Regular expressions compiled so far, emptied when full. */
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    ExprArithmetic() {
        super(true);
    }

    /** Strict, so that JEXL passes a failed division up instead of answering 0. */
    @Override
    public boolean isStrict() {
        return true;
    }

    @Override
    public boolean isStrict(JexlOperator operator) {
        return false;
    }

    @Override
    public Object add(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (ExprValues.isNumber(a) && ExprValues.isNumber(b)) {
            return ExprValues.isInteger(a) && ExprValues.isInteger(b) ? (Object) (ExprValues.toLong(a)
                    + ExprValues.toLong(b)) : (Object) (ExprValues.toDouble(a) + ExprValues.toDouble(b));
        }
        throw ExprValues.mismatch("+", a, b);
    }

    @Override
    public Object subtract(Object a, Object b) {
        numbers("-", a, b);
        return ExprValues.isInteger(a) && ExprValues.isInteger(b) ? (Object) (ExprValues.toLong(a)
                - ExprValues.toLong(b)) : (Object) (ExprValues.toDouble(a) - ExprValues.toDouble(b));
    }

    @Override
    public Object multiply(Object a, Object b) {
        numbers("*", a, b);
        return ExprValues.isInteger(a) && ExprValues.isInteger(b) ? (Object) (ExprValues.toLong(a)
                * ExprValues.toLong(b)) : (Object) (ExprValues.toDouble(a) * ExprValues.toDouble(b));
    }

    @Override
    public Object divide(Object a, Object b) {
        numbers("/", a, b);
        return ExprValues.toDouble(a) / ExprValues.toDouble(b);
    }

    @Override
    public Object mod(Object a, Object b) {
        if (!ExprValues.isInteger(a) || !ExprValues.isInteger(b)) {
            throw ExprValues.mismatch("%", a, b);
        }
        if (ExprValues.toLong(b) == 0) {
            throw new ExprError("integer divide by zero");
        }
        return ExprValues.toLong(a) % ExprValues.toLong(b);
    }

    @Override
    public Object negate(Object a) {
        if (ExprValues.isInteger(a)) {
            return -ExprValues.toLong(a);
        }
        if (ExprValues.isNumber(a)) {
            return -ExprValues.toDouble(a);
        }
        throw new ExprError("invalid operation: - (mismatched type " + ValueTypes.name(a) + ")");
    }

    @Override
    public Object positivize(Object a) {
        if (ExprValues.isNumber(a)) {
            return a;
        }
        throw new ExprError("invalid operation: + (mismatched type " + ValueTypes.name(a) + ")");
    }

    @Override
    public boolean equals(Object a, Object b) {
        return ExprValues.equal(a, b);
    }

    @Override
    public boolean lessThan(Object a, Object b) {
        return ExprValues.compare("<", a, b) < 0;
    }

    @Override
    public boolean lessThanOrEqual(Object a, Object b) {
        return ExprValues.compare("<=", a, b) <= 0;
    }

    @Override
    public boolean greaterThan(Object a, Object b) {
        return ExprValues.compare(">", a, b) > 0;
    }

    @Override
    public boolean greaterThanOrEqual(Object a, Object b) {
        return ExprValues.compare(">=", a, b) >= 0;
    }

    /** {@code value =~ container}: expr's {@code in}, or {@code matches} when the container is a string. */
    @Override
    public Boolean contains(Object container, Object value) {
        if (container == null) {
            return false;
        }
        if (container instanceof String regex) {
            if (!(value instanceof String text)) {
                throw ExprValues.mismatch("matches", value, container);
            }
            return pattern(regex).matcher(text).find();
        }
        if (container instanceof List<?> list) {
            for (Object element : list) {
                if (ExprValues.equal(element, value)) {
                    return true;
                }
            }
            return false;
        }
        if (container instanceof Map<?, ?> map) {
            return value instanceof String && map.containsKey(value);
        }
        throw new ExprError("operator \"in\" not defined on " + ValueTypes.name(container));
    }

    /** {@code a === b}: expr's {@code a contains b}. */
    @Override
    public boolean strictEquals(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return x.contains(y);
        }
        throw ExprValues.mismatch("contains", a, b);
    }

    @Override
    public Boolean startsWith(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return x.startsWith(y);
        }
        throw ExprValues.mismatch("startsWith", a, b);
    }

    @Override
    public Boolean endsWith(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return x.endsWith(y);
        }
        throw ExprValues.mismatch("endsWith", a, b);
    }

    @Override
    public boolean toBoolean(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ExprError("expected bool, but got " + ValueTypes.name(value));
    }

    @Override
    public boolean testPredicate(Object value) {
        return toBoolean(value);
    }

    @Override
    public Object not(Object value) {
        if (value instanceof Boolean b) {
            return !b;
        }
        throw new ExprError("invalid operation: ! (mismatched type " + ValueTypes.name(value) + ")");
    }

    /** {@code a.b}, which the translation writes as {@code a['b']}; also JEXL's {@code a?.'b'}. */
    public Object propertyGet(Object object, Object key) {
        return ExprValues.fetch(object, key);
    }

    /** {@code a[k]}. */
    public Object arrayGet(Object object, Object key) {
        return ExprValues.fetch(object, key);
    }

    @Override
    public ArrayBuilder arrayBuilder(int size, boolean extended) {
        List<Object> list = new ArrayList<>(size);
        return new ArrayBuilder() {
            @Override
            public void add(Object value) {
                list.add(value);
            }

            @Override
            public Object create(boolean extended) {
                return list;
            }
        };
    }

    @Override
    public MapBuilder mapBuilder(int size, boolean extended) {
        Map<String, Object> map = new LinkedHashMap<>();
        return new MapBuilder() {
            @Override
            public void put(Object key, Object value) {
                if (!(key instanceof String s)) {
                    throw new ExprError("map keys must be strings, not " + ValueTypes.name(key));
                }
                map.put(s, value);
            }

            @Override
            public Object create() {
                return map;
            }
        };
    }

    private static void numbers(String op, Object a, Object b) {
        if (!ExprValues.isNumber(a) || !ExprValues.isNumber(b)) {
            throw ExprValues.mismatch(op, a, b);
        }
    }

    Pattern pattern(String regex) {
        Pattern p = patterns.get(regex);
        if (p == null) {
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new ExprError("error parsing regexp: " + e.getDescription() + ": " + regex);
            }
            if (patterns.size() >= PATTERN_CACHE) {
                patterns.clear();
            }
            patterns.put(regex, p);
        }
        return p;
    }
}
