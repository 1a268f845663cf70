package dev.tend.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.support.BucketConfigJson;
import dev.tend.kv.support.ConfigShape;

import java.io.IOException;
import java.util.List;

/**
 * The {@code --json} shapes (documented in docs/cli-kv.md):
 * an entry is {@code {"bucket","key","revision","created","delta","operation","value"|"value_base64"}};
 * a bucket is {@code {"bucket","description","history","ttl","max_value_size","max_bucket_size","replicas",
 * "storage","mirror","values","bytes","backend"}}, plus {@code "cluster":{"name","leader","replicas":[{"name",
 * "current","offline"}]}} for a bucket of a NATS cluster.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));

    static {
        PRETTY.indentArraysWith(new DefaultIndenter("  ", "\n"));
    }

    private Json() {
    }

    public static ObjectNode entry(Entry e) {
        ObjectNode n = MAPPER.createObjectNode();
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
        ArrayNode a = MAPPER.createArrayNode();
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
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            buffer.writeStartObject();
            BucketConfigJson.writeFields(buffer, c, ConfigShape.INFO);
            buffer.writeEndObject();
            return MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ArrayNode buckets(List<BucketStatus> list) {
        ArrayNode a = MAPPER.createArrayNode();
        list.forEach(s -> a.add(bucket(s)));
        return a;
    }

    public static ArrayNode strings(List<String> list) {
        ArrayNode a = MAPPER.createArrayNode();
        list.forEach(a::add);
        return a;
    }

    /** Indented, for one document. */
    public static String pretty(Object node) {
        try {
            return MAPPER.writer(PRETTY).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** On one line, for streams of documents. */
    public static String compact(Object node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
