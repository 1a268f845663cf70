package dev.tend.machine.expression;

import java.util.List;
import java.util.Map;

/** The names of value types in messages, as expr names them. */
public final class ValueTypes {

    private ValueTypes() {
    }

    /** {@code nil}, {@code bool}, {@code int}, {@code float}, {@code string}, {@code array}, {@code map}. */
    public static String name(Object value) {
        if (value == null) {
            return "nil";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof java.math.BigInteger) {
            return "int";
        }
        if (value instanceof Number) {
            return "float";
        }
        if (value instanceof CharSequence) {
            return "string";
        }
        if (value instanceof List<?> || value.getClass().isArray()) {
            return "array";
        }
        if (value instanceof Map<?, ?>) {
            return "map";
        }
        return value.getClass().getSimpleName();
    }
}
