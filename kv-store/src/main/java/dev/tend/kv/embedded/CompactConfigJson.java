package dev.tend.kv.embedded;

import dev.tend.kv.support.ConfigField;
import dev.tend.kv.support.ConfigShape;
import dev.tend.kv.support.ConfigValues;
import dev.tend.kv.support.JsonForm;

import java.nio.charset.StandardCharsets;

/**
 * Reads the config JSON exactly as {@link ConfigFile#toJson} writes it into a log's header (compact, the
 * {@link ConfigShape#LOG} fields in {@link ConfigField}'s order, plain ASCII strings, decimal integers) without
 * starting Jackson, whose start-up costs a one-shot command several milliseconds. Anything else, by a single byte, is
 * not this parser's business: it returns null and {@link ConfigFile} hands the bytes to Jackson, which gives the
 * answer (or the error) for every other JSON.
 */
final class CompactConfigJson {
    private static final ConfigShape SHAPE = ConfigShape.LOG;
    private static final ConfigField[] FIELDS = ConfigField.values();

    private final byte[] b;
    private int p;
    private boolean ok = true;

    private CompactConfigJson(byte[] bytes) {
        this.b = bytes;
    }

    /** The config in {@code bytes} if they are in the exact compact form, else null. */
    static ConfigValues parse(byte[] bytes) {
        return new CompactConfigJson(bytes).read();
    }

    private ConfigValues read() {
        literal('{');
        field(SHAPE.versionKey());
        int version = intValue();
        Object[] json = new Object[FIELDS.length];
        for (ConfigField f : FIELDS) {
            ConfigField.Column col = f.column(SHAPE);
            if (col != null) {
                field(col.key());
                json[f.ordinal()] = value(col.form());
            }
        }
        literal('}');
        if (!ok || p != b.length) {
            return null;
        }
        return ConfigValues.of(version, json);
    }

    /** A string, or a number as a Long (an {@link JsonForm#INT} in range), as {@link ConfigValues} holds them. */
    private Object value(JsonForm form) {
        if (!form.isNumber()) {
            return string();
        }
        return form == JsonForm.INT ? (long) intValue() : number();
    }

    private void literal(char c) {
        if (ok && p < b.length && b[p] == c) {
            p++;
        } else {
            ok = false;
        }
    }

    /** {@code "name":}, after a comma unless it is the first field. */
    private void field(String name) {
        if (p > 1) {
            literal(',');
        }
        literal('"');
        for (int i = 0; i < name.length(); i++) {
            literal(name.charAt(i));
        }
        literal('"');
        literal(':');
    }

    /** A string of printable ASCII without escapes; anything else is left to Jackson. */
    private String string() {
        literal('"');
        int start = p;
        while (ok && p < b.length && b[p] != '"') {
            if (b[p] < 0x20 || b[p] > 0x7e || b[p] == '\\') {
                ok = false;
            }
            p++;
        }
        String s = ok ? new String(b, start, p - start, StandardCharsets.US_ASCII) : null;
        literal('"');
        return s;
    }

    /** A decimal integer as JSON writes it (no leading zeros, no "-0"), of at most 18 digits. */
    private long number() {
        if (!ok) {
            return 0;
        }
        boolean negative = p < b.length && b[p] == '-';
        if (negative) {
            p++;
        }
        int start = p;
        long v = 0;
        while (p < b.length && b[p] >= '0' && b[p] <= '9') {
            v = v * 10 + (b[p] - '0');
            p++;
        }
        int digits = p - start;
        if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0') || (negative && v == 0)) {
            ok = false;
            return 0;
        }
        return negative ? -v : v;
    }

    private int intValue() {
        long v = number();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            ok = false;
            return 0;
        }
        return (int) v;
    }
}
