package dev.tend.machine.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol's JSON lines read into trees and written back with jackson-core's streaming parser and generator, as
 * the object mapper reads and writes them with its default settings (the same nodes, the same text, the same Java
 * values for {@link #toJava}), without its start-up: a {@code tend machine} command that asks the agent one question
 * makes no {@code ObjectMapper}. {@code JsonLinesTest} compares the two.
 */
public final class JsonLines {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonLines() {
    }

    /** The first JSON value of {@code line}, or null when there is none. */
    static JsonNode read(String line) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(line)) {
            JsonToken t = p.nextToken();
            return t == null ? null : read(p, t);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, read(p, p.nextToken()));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(read(p, e));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    /** The tree on one line, as the object mapper writes it. */
    static String write(JsonNode tree) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            write(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Writes {@code n} with {@code g} as the object mapper writes a tree (the same text; {@code JsonLinesTest}
     * compares them): the one tree writer of the project, which the CLI's {@code --json} output uses too (with its
     * pretty printer set on the generator). Nodes that are not JSON values (binary, POJO) are written as their text.
     */
    public static void writeTree(JsonGenerator g, JsonNode n) throws IOException {
        write(g, n);
    }

    private static void write(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : n) {
                    write(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL -> g.writeNull();
            case NUMBER -> {
                switch (n.numberType()) {
                    case INT -> g.writeNumber(n.intValue());
                    case LONG -> g.writeNumber(n.longValue());
                    case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
                    case FLOAT -> g.writeNumber(n.floatValue());
                    case DOUBLE -> g.writeNumber(n.doubleValue());
                    default -> g.writeNumber(n.decimalValue());
                }
            }
            default -> g.writeString(n.asText());
        }
    }

    /**
     * The tree as plain Java values, as {@code convertValue(node, Object.class)} gives them: maps (in order), lists,
     * strings, {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, booleans and null.
     */
    static Object toJava(JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                // Loops rather than lambdas: the first lambda of a short command costs it milliseconds.
                for (Iterator<Map.Entry<String, JsonNode>> f = n.fields(); f.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = f.next();
                    m.put(e.getKey(), toJava(e.getValue()));
                }
                return m;
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (JsonNode e : n) {
                    l.add(toJava(e));
                }
                return l;
            }
            case STRING -> {
                return n.textValue();
            }
            case BOOLEAN -> {
                return n.booleanValue();
            }
            case NUMBER -> {
                return switch (n.numberType()) {
                    case INT -> n.intValue();
                    case LONG -> n.longValue();
                    case BIG_INTEGER -> n.bigIntegerValue();
                    case FLOAT -> n.floatValue();
                    default -> n.doubleValue();
                };
            }
            default -> {
                return null;
            }
        }
    }
}
