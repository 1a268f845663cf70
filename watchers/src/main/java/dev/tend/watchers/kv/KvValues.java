package dev.tend.watchers.kv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tend.machine.template.JsonPaths;
import org.slf4j.Logger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How a KV value becomes machine data, and when two such values are the same (docs/watchers.md, section {@code kv},
 * "Data"). Values whose trimmed text is {@code {...}} are JSON objects (then {@code query} picks a part of them),
 * {@code [...]} JSON arrays, anything else the raw, untrimmed text: numbers and booleans stay strings, as in the
 * reference. With {@code hiera_config}, an object is first resolved as a Tiny Hiera document ({@link HieraValues}), and
 * {@code query} applies to the result.
 */
final class KvValues {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Object MISSING = new Object();

    private KvValues() {
    }

    /**
     * @param query a gjson path for object values, or empty
     * @param where the bucket and key, for the warning about a value that looks like JSON but is not
     */
    static Object parse(byte[] value, String query, String where, Logger log) {
        return parse(value, query, null, where, warning -> log.warn("{}", warning));
    }

    /**
     * @param hiera    resolves object values ({@code hiera_config}), or {@code null}
     * @param warnings takes the one-line warning about a value that looks like JSON but is not
     * @throws InvalidValueException when {@code hiera} cannot resolve the object
     */
    static Object parse(byte[] value, String query, HieraValues hiera, String where, Consumer<String> warnings) {
        String raw = new String(value, StandardCharsets.UTF_8);
        String trimmed = raw.strip();
        if (trimmed.startsWith("{") && trimmed.endsWith("}")) {
            Map<String, Object> object = read(trimmed, new TypeReference<LinkedHashMap<String, Object>>() { }, where,
                    warnings);
            Map<String, Object> parsed = object == null ? Map.of() : object;
            if (hiera != null) {
                parsed = hiera.resolve(parsed, where); // an object that did not parse resolves as an empty document
            }
            if (query.isEmpty()) {
                return parsed;
            }
            Object found = JsonPaths.find(parsed, query, MISSING);
            return found == MISSING ? raw : found; // as the reference: a query that finds nothing keeps the text
        }
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            List<Object> list = read(trimmed, new TypeReference<List<Object>>() { }, where, warnings);
            return list == null ? List.of() : list;
        }
        return raw;
    }

    private static <T> T read(String text, TypeReference<T> type, String where, Consumer<String> warnings) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            // The reference stores an empty object or list then; say why once per value.
            warnings.accept(where + ": the value looks like JSON but does not parse, storing it empty: "
                    + e.getOriginalMessage());
            return null;
        }
    }

    /** Deep equality of JSON-like values, numbers by value ({@code 1} equals {@code 1.0}, an Integer a Long). */
    static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return isFinite(x) && isFinite(y) ? numeric(x).compareTo(numeric(y)) == 0
                    : Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = x.iterator();
            Iterator<?> j = y.iterator();
            while (i.hasNext()) {
                if (!same(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static boolean isFinite(Number n) {
        return !(n instanceof Double || n instanceof Float) || Double.isFinite(n.doubleValue());
    }

    private static BigDecimal numeric(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return new BigDecimal(n.toString());
    }
}
