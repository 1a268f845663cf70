package dev.tend.machine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep, unmodifiable copies of JSON-like values (String, Number, Boolean, null, List, Map), so stored machine data and
 * facts cannot be changed behind their owner's back. Anything else is a programming error and is refused with the
 * place it was found.
 */
final class FrozenJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FrozenJson() {
    }

    /**
     * @param value a JSON-like value; a Jackson {@link JsonNode} is converted; map keys become strings
     * @param where where the value sits, for the message (e.g. {@code data "config"})
     * @throws IllegalArgumentException when something in it is not JSON-like
     */
    static Object copy(Object value, String where) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Double || value instanceof BigInteger
                || value instanceof BigDecimal || value instanceof Short || value instanceof Byte
                || value instanceof Float) {
            return value;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof JsonNode node) {
            return copy(JSON.convertValue(node, Object.class), where);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                copy.put(key, copy(e.getValue(), where + "." + key));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            int i = 0;
            for (Object item : list) {
                copy.add(copy(item, where + "[" + i++ + "]"));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(where + ": " + value.getClass().getName()
                + " is not a JSON value (use String, Number, Boolean, null, List or Map)");
    }

    /** A deep copy of a map of JSON-like values, keys in the given order. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> copyObject(Map<?, ?> map, String where) {
        return (Map<String, Object>) copy(map, where);
    }
}
