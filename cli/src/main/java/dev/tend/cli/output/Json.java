package dev.tend.cli.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.support.BucketConfigJson;
import dev.tend.kv.support.ConfigShape;
import dev.tend.machine.control.JsonLines;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The {@code --json} shapes (documented in docs/cli-kv.md):
 * an entry is {@code {"bucket","key","revision","created","delta","operation","value"|"value_base64"}};
 * a bucket is {@code {"bucket","description","history","ttl","max_value_size","max_bucket_size","replicas",
 * "storage","mirror","values","bytes","backend"}}, plus {@code "cluster":{"name","leader","replicas":[{"name",
 * "current","offline"}]}} for a bucket of a NATS cluster.
 */
public final class Json {
    /**
     * The object mapper, made on first use: a cold {@code ObjectMapper} loads hundreds of classes, and the trees of
     * the shapes above are built with the node factory and written with jackson-core's generator (a short command's
     * {@code --json} never makes one).
     */
    private static final class Mapper {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    static {
        PRETTY.indentArraysWith(new DefaultIndenter("  ", "\n"));
    }

    private Json() {
    }

    public static ObjectNode entry(Entry e) {
        ObjectNode n = NODES.objectNode();
        n.put("bucket", e.bucket());
        n.put("key", e.key());
        n.put("revision", e.revision());
        n.put("created", TimeFormat.rfc3339(e.created()));
        n.put("delta", e.delta());
        n.put("operation", e.operation().name());
        String text = Values.utf8(e.value());
        if (text != null) {
            n.put("value", text);
        } else {
            n.put("value_base64", Values.base64(e.value()));
        }
        return n;
    }

    public static ArrayNode entries(List<Entry> entries) {
        ArrayNode a = NODES.arrayNode();
        entries.forEach(e -> a.add(entry(e)));
        return a;
    }

    public static ObjectNode bucket(BucketStatus s) {
        ObjectNode n = config(s.config());
        n.put("values", s.values());
        n.put("bytes", s.bytes());
        n.put("backend", s.backend());
        if (s.cluster() != null) {
            ObjectNode cluster = n.putObject("cluster");
            cluster.put("name", s.cluster().name());
            cluster.put("leader", s.cluster().leader());
            ArrayNode replicas = cluster.putArray("replicas");
            for (BucketStatus.Peer p : s.cluster().replicas()) {
                replicas.addObject().put("name", p.name()).put("current", p.current()).put("offline", p.offline());
            }
        }
        return n;
    }

    /** The config's fields as {@link ConfigShape#INFO} spells them, in an object of their own. */
    private static ObjectNode config(BucketConfig c) {
        try (TokenBuffer buffer = new TokenBuffer(null, false)) {
            buffer.writeStartObject();
            BucketConfigJson.writeFields(buffer, c, ConfigShape.INFO);
            buffer.writeEndObject();
            ObjectNode flat = flatObject(buffer.asParser());
            if (flat != null) {
                return flat;
            }
            return Mapper.MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The object {@code p} reads as the object mapper would read it, when it is flat (strings, integers, booleans and
     * nulls); else null.
     */
    private static ObjectNode flatObject(JsonParser p) throws IOException {
        ObjectNode n = NODES.objectNode();
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            switch (p.nextToken()) {
                case VALUE_STRING -> n.put(name, p.getText());
                case VALUE_TRUE, VALUE_FALSE -> n.put(name, p.getBooleanValue());
                case VALUE_NULL -> n.putNull(name);
                case VALUE_NUMBER_INT -> {
                    switch (p.getNumberType()) {
                        case INT -> n.put(name, p.getIntValue());
                        case LONG -> n.put(name, p.getLongValue());
                        default -> n.put(name, p.getBigIntegerValue());
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return n;
    }

    public static ArrayNode buckets(List<BucketStatus> list) {
        ArrayNode a = NODES.arrayNode();
        list.forEach(s -> a.add(bucket(s)));
        return a;
    }

    public static ArrayNode strings(List<String> list) {
        ArrayNode a = NODES.arrayNode();
        list.forEach(a::add);
        return a;
    }

    /** Indented, for one document. */
    public static String pretty(Object node) {
        if (node instanceof JsonNode tree && plain(tree)) {
            return write(tree, PRETTY.createInstance());
        }
        try {
            return Mapper.MAPPER.writer(PRETTY).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** On one line, for streams of documents. */
    public static String compact(Object node) {
        if (node instanceof JsonNode tree && plain(tree)) {
            return write(tree, null);
        }
        try {
            return Mapper.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The same text as the object mapper writes for a tree of objects, arrays, strings, numbers, booleans and nulls
     * (what a node writes of itself); {@code JsonTest} compares the two.
     */
    static String write(JsonNode tree, PrettyPrinter printer) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            if (printer != null) {
                g.setPrettyPrinter(printer);
            }
            JsonLines.writeTree(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** True when the tree holds only JSON values, which {@link JsonLines#writeTree} writes as the mapper does. */
    private static boolean plain(JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT, ARRAY -> {
                for (JsonNode child : n) {
                    if (!plain(child)) {
                        return false;
                    }
                }
                return true;
            }
            case STRING, BOOLEAN, NULL -> {
                return true;
            }
            case NUMBER -> {
                return n.numberType() != null;
            }
            default -> {
                return false;
            }
        }
    }
}
