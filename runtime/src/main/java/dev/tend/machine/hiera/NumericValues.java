package dev.tend.machine.hiera;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a parsed document's values uniform before resolution, as the reference does: whole numbers become {@link Long}
 * ({@code 80.0} too, so JSON's {@code 80} and {@code 80.0} resolve alike), other numbers {@link Double}; maps become
 * {@link LinkedHashMap}s with string keys (YAML allows other keys) and lists {@link ArrayList}s, so that the result is a
 * fresh copy the caller may change.
 */
final class NumericValues {

    private static final double TWO_TO_63 = 0x1p63;

    private NumericValues() {
    }

    static Object normalize(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(normalize(v)));
            return copy;
        }
        if (value instanceof Number number) {
            return number(number);
        }
        return value;
    }

    private static Object number(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        if (n instanceof BigInteger big) {
            return big.bitLength() < 64 ? big.longValue() : big.doubleValue();
        }
        double d = n instanceof BigDecimal b ? b.doubleValue() : n.doubleValue();
        if (d == Math.rint(d) && d >= -TWO_TO_63 && d < TWO_TO_63) {
            return (long) d;
        }
        return d;
    }
}
