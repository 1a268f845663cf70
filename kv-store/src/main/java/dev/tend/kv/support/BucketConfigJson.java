package dev.tend.kv.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.tend.kv.BucketConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes and reads a bucket config in one of its {@link ConfigShape}s, field by field as {@link ConfigField} says,
 * with jackson-core's streaming generator and parser: no databind, which costs a short-lived {@code tend} call more
 * than 100 ms when it starts cold (docs/benchmarks.md, "First pass: where the time went").
 */
public final class BucketConfigJson {

    /** Jackson's factory, created on first use: a one-shot command that only reads a log header never needs it. */
    private static final class Jackson {
        static final JsonFactory JSON = new JsonFactory();

        private Jackson() {
        }
    }

    private BucketConfigJson() {
    }

    /** The whole object for {@code c} in {@code shape}; pretty is Jackson's default pretty printer. */
    public static byte[] toJson(BucketConfig c, ConfigShape shape, boolean pretty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Jackson.JSON.createGenerator(out)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            writeFields(g, c, shape);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the config of bucket " + c.name(), e);
        }
        return out.toByteArray();
    }

    /** Writes the shape's version (if it has one) and the fields of {@code c} into the object {@code g} is in. */
    public static void writeFields(JsonGenerator g, BucketConfig c, ConfigShape shape) throws IOException {
        if (shape.versionKey() != null) {
            g.writeNumberField(shape.versionKey(), shape.version());
        }
        for (ConfigField f : ConfigField.ALL) {
            ConfigField.Column col = f.column(shape);
            if (col == null) {
                continue;
            }
            g.writeFieldName(col.key());
            Object v = col.form().toJson(f.get(c));
            if (v == null) {
                g.writeNull();
            } else if (v instanceof Long n) {
                g.writeNumber(n.longValue());
            } else {
                g.writeString((String) v);
            }
        }
    }

    /** A parser over {@code bytes} from the shared factory. */
    public static JsonParser parser(byte[] bytes) throws IOException {
        return Jackson.JSON.createParser(bytes);
    }

    /**
     * Reads the object {@code p} is at (its current token is the object's start) by {@code shape}'s rules, up to
     * the object's end.
     *
     * @throws IOException a {@link com.fasterxml.jackson.core.JsonProcessingException} when the JSON is not a config
     *                     of this shape: its message names the field ({@link ConfigShape#BACKUP}) or the JSON
     *                     type found ({@link ConfigShape#LOG}), its location says where
     */
    public static ConfigValues read(JsonParser p, ConfigShape shape) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "not a JSON object");
        }
        Object[] json = new Object[ConfigField.ALL.length];
        boolean[] seen = new boolean[json.length];
        int version = 0;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            ConfigField f = field(shape, key);
            if (f != null) {
                json[f.ordinal()] = value(p, v, f.column(shape), shape);
                seen[f.ordinal()] = true;
            } else if (key.equals(shape.versionKey())) {
                version = (int) asRecord(p, v, JsonForm.INT).longValue();
            } else {
                p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonParseException(p, "unexpected " + t);
        }
        for (ConfigField f : ConfigField.ALL) {
            ConfigField.Column col = f.column(shape);
            if (col == null || seen[f.ordinal()]) {
                continue;
            }
            if (shape.absentIsDefault() && col.required()) {
                throw missing(p, col);
            }
            // A record binding leaves a missing number at zero, as it does a JSON null.
            json[f.ordinal()] = shape.absentIsDefault() || !col.form().isNumber() ? null : 0L;
        }
        return ConfigValues.of(version, json);
    }

    private static ConfigField field(ConfigShape shape, String key) {
        for (ConfigField f : ConfigField.ALL) {
            ConfigField.Column col = f.column(shape);
            if (col != null && col.key().equals(key)) {
                return f;
            }
        }
        return null;
    }

    private static Object value(JsonParser p, JsonToken v, ConfigField.Column col, ConfigShape shape)
            throws IOException {
        if (!shape.absentIsDefault()) {
            return col.form().isNumber() ? asRecord(p, v, col.form()) : recordText(p, v);
        }
        return col.form().isNumber() ? treeNumber(p, v, col) : treeText(p, v, col);
    }

    // ---- LOG: as databind bound the JSON to a record of Strings and numbers

    private static String recordText(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v.isScalarValue()) {
            return p.getText();
        }
        throw new JsonParseException(p, "expected a string, found " + v);
    }

    private static Long asRecord(JsonParser p, JsonToken v, JsonForm form) throws IOException {
        long n;
        if (v == JsonToken.VALUE_NULL) {
            n = 0;
        } else if (v == JsonToken.VALUE_NUMBER_INT) {
            n = p.getLongValue();
        } else if (v == JsonToken.VALUE_STRING) {
            try {
                n = Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                throw new JsonParseException(p, "not a number: " + p.getText());
            }
        } else {
            throw new JsonParseException(p, "expected a number, found " + v);
        }
        if (form == JsonForm.INT && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
            throw new JsonParseException(p, "number out of range: " + n);
        }
        return n;
    }

    // ---- BACKUP: as read from a JSON tree, JsonNode by JsonNode

    private static String treeText(JsonParser p, JsonToken v, ConfigField.Column col) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (col.required()) {
            throw missing(p, col);
        }
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v.isScalarValue()) {
            return p.getText();
        }
        // JsonNode.asText() of an object or array.
        p.skipChildren();
        return "";
    }

    private static Long treeNumber(JsonParser p, JsonToken v, ConfigField.Column col) throws IOException {
        if (v == JsonToken.VALUE_NULL && !col.required()) {
            return null;
        }
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw missing(p, col);
        }
        long n;
        try {
            n = p.getLongValue();
        } catch (InputCoercionException e) {
            throw missing(p, col);
        }
        if (col.form() == JsonForm.INT && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
            throw new JsonParseException(p, col.key() + " is out of range");
        }
        return n;
    }

    private static JsonParseException missing(JsonParser p, ConfigField.Column col) {
        return new JsonParseException(p, col.key() + " is missing or not "
                + (col.form().isNumber() ? "a whole number" : "a string"));
    }
}
