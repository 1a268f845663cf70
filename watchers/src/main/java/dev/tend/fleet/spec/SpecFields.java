package dev.tend.fleet.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * What both forms of specification share: reading their two string fields from a machine data value or JSON text (keys
 * matched ignoring case, scalars taken as their text, as Choria's weakly typed decoding does) and base64 as Go's
 * {@code base64.StdEncoding} reads it (padding required, line breaks skipped).
 */
final class SpecFields {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SpecFields() {
    }

    /** The two fields of a specification object: the list field and {@code signature}. */
    record Pair(String list, String signature) {
    }

    /**
     * @param value a machine data value: a JSON-like map, or JSON text of an object
     * @param list  the list field's name ({@code plugins}, {@code machines})
     */
    static Pair read(Object value, String list) throws SpecException {
        Object object = value;
        if (value instanceof String text) {
            try {
                object = MAPPER.readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                throw new SpecException("the specification is not valid JSON: " + e.getOriginalMessage()
                        .replace('\n', ' '));
            }
        }
        if (!(object instanceof Map<?, ?> map)) {
            throw new SpecException("the specification is " + describe(object) + ", not an object with "
                    + list + " and signature");
        }
        return new Pair(text(map, list), text(map, "signature"));
    }

    private static String text(Map<?, ?> map, String key) throws SpecException {
        Object value = map.get(key);
        if (value == null) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (String.valueOf(e.getKey()).toLowerCase(Locale.ROOT).equals(key)) {
                    value = e.getValue();
                }
            }
        }
        if (value == null) {
            return "";
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value instanceof Boolean b ? (b ? "1" : "0") : value.toString();
        }
        throw new SpecException("the specification's " + key + " is " + describe(value) + ", not a string");
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof java.util.List<?>) {
            return "a list";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value instanceof Number ? "a number" : "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** @param what what the text is, for the message */
    static byte[] base64(String text, String what) throws SpecException {
        String clean = text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text
                : text.replace("\n", "").replace("\r", "");
        if (clean.length() % 4 != 0) { // Go's standard encoding requires the padding Java's decoder would accept without
            throw new SpecException(what + " is not valid base64: its length " + clean.length()
                    + " is not a multiple of 4");
        }
        try {
            return Base64.getDecoder().decode(clean);
        } catch (IllegalArgumentException e) {
            throw new SpecException(what + " is not valid base64: " + e.getMessage());
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
