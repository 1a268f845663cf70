package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.ValueTypes;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Values as expr sees them: integers are {@code long}, other numbers {@code double}; equality, order and fetching. */
final class ExprValues {

    private ExprValues() {
    }

    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || (v instanceof BigInteger b && b.bitLength() < 64);
    }

    static boolean isNumber(Object v) {
        return v instanceof Number;
    }

    static long toLong(Object v) {
        return ((Number) v).longValue();
    }

    static double toDouble(Object v) {
        return ((Number) v).doubleValue();
    }

    /** A JSON-like value with every integer as {@link Long} and every other number as {@link Double}, deeply. */
    static Object normalize(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (isInteger(v)) {
            return toLong(v);
        }
        if (v instanceof Number n) {
            return n instanceof BigDecimal d && d.scale() <= 0 && d.precision() - d.scale() < 19
                    ? (Object) d.longValueExact() : (Object) n.doubleValue();
        }
        if (v instanceof CharSequence s) {
            return s.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, value) -> copy.put(String.valueOf(k), normalize(value)));
            return copy;
        }
        if (v instanceof Collection<?> c) {
            List<Object> copy = new ArrayList<>(c.size());
            c.forEach(e -> copy.add(normalize(e)));
            return copy;
        }
        if (v instanceof Object[] a) {
            List<Object> copy = new ArrayList<>(a.length);
            for (Object e : a) {
                copy.add(normalize(e));
            }
            return copy;
        }
        return v;
    }

    /** expr's {@code ==}: numbers by value across int and float, strings, bools, deep lists and maps; no coercion. */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumber(a) && isNumber(b)) {
            if (isInteger(a) && isInteger(b)) {
                return toLong(a) == toLong(b);
            }
            return toDouble(a) == toDouble(b);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!equal(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !equal(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** expr's order of numbers and of strings; anything else is a mismatch. */
    static int compare(String op, Object a, Object b) {
        if (isNumber(a) && isNumber(b)) {
            if (isInteger(a) && isInteger(b)) {
                return Long.compare(toLong(a), toLong(b));
            }
            return Double.compare(toDouble(a), toDouble(b));
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw mismatch(op, a, b);
    }

    static ExprError mismatch(String op, Object a, Object b) {
        return new ExprError("invalid operation: " + op + " (mismatched types " + ValueTypes.name(a) + " and "
                + ValueTypes.name(b) + ")");
    }

    /** {@code from.key} or {@code from[key]}: a map's entry (nil when absent), a list's or a string's element. */
    static Object fetch(Object from, Object key) {
        if (from instanceof Map<?, ?> m) {
            return m.get(key instanceof String ? key : String.valueOf(key));
        }
        if ((from instanceof List<?> || from instanceof String) && !isInteger(key)) {
            throw new ExprError("cannot fetch " + key + " from " + ValueTypes.name(from));
        }
        if (from instanceof List<?> list) {
            return list.get(index(key, list.size()));
        }
        if (from instanceof String s) {
            int count = s.codePointCount(0, s.length());
            int at = s.offsetByCodePoints(0, index(key, count));
            return new String(Character.toChars(s.codePointAt(at)));
        }
        throw new ExprError("cannot fetch " + key + " from " + ValueTypes.name(from));
    }

    private static int index(Object key, int length) {
        long index = toLong(key);
        if (index < 0) {
            index += length;
        }
        if (index < 0 || index >= length) {
            throw new ExprError("index out of range: " + index + " (array length is " + length + ")");
        }
        return (int) index;
    }
}
