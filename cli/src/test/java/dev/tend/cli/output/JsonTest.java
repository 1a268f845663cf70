package dev.tend.cli.output;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.BucketStatus;
import dev.tend.kv.Entry;
import dev.tend.kv.Operation;
import dev.tend.kv.support.BucketConfigJson;
import dev.tend.kv.support.ConfigShape;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Json} writes trees with jackson-core's generator instead of the object mapper, and reads the config's fields
 * without it: the text must be what the object mapper writes, byte for byte.
 */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String mapperPretty(JsonNode n) throws Exception {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)).withObjectIndenter(new DefaultIndenter("  ",
                "\n"));
        pretty.indentArraysWith(new DefaultIndenter("  ", "\n"));
        return MAPPER.writer(pretty).writeValueAsString(n);
    }

    private static void same(JsonNode n) throws Exception {
        assertThat(Json.pretty(n)).isEqualTo(mapperPretty(n));
        assertThat(Json.compact(n)).isEqualTo(MAPPER.writeValueAsString(n));
    }

    @Test
    void writesWhatTheObjectMapperWrites() throws Exception {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("s", "é \u0001 \" \\ \n \u2028 😀");
        o.put("i", 7).put("l", 1L << 40).put("neg", -3).put("d", 1.5).put("f", 2.5f).put("t", true).put("no", false);
        o.put("big", new BigInteger("123456789012345678901234567890"));
        o.put("dec", new BigDecimal("1.10"));
        o.putNull("null");
        o.putObject("empty");
        o.putArray("none");
        ArrayNode a = o.putArray("a");
        a.add(1).add("two").addObject().put("x", 1).putArray("y").add(true);
        a.addArray();
        same(o);
        same(a);
        same(MAPPER.createArrayNode());
        same(MAPPER.createObjectNode());
    }

    @Test
    void theShapesReadAsBefore() throws Exception {
        Entry e = new Entry("CFG", "k", new byte[] {'v'}, 3, Instant.parse("2021-07-13T10:38:10Z"), 1,
                Operation.PUT);
        same(Json.entry(e));
        same(Json.entries(List.of(e, new Entry("CFG", "b", new byte[] {(byte) 0xff}, 4, Instant.EPOCH, 0,
                Operation.PUT))));
        same(Json.strings(List.of("a", "b")));
        BucketConfig config = BucketConfig.builder("CFG").history(5).ttl(Duration.ofHours(1))
                .maxBucketSize(1 << 20).build();
        BucketStatus status = new BucketStatus(config, 3, 99, 7, "embedded", "file:///x");
        ObjectNode n = Json.bucket(status);
        same(n);
        // The config's fields as the object mapper reads them from the codec's tokens.
        ObjectNode before;
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            buffer.writeStartObject();
            BucketConfigJson.writeFields(buffer, config, ConfigShape.INFO);
            buffer.writeEndObject();
            before = (ObjectNode) MAPPER.readTree(buffer.asParser());
        }
        before.put("values", 3L).put("bytes", 99L).put("backend", "embedded");
        assertThat(Json.pretty(n)).isEqualTo(mapperPretty(before));
        assertThat(n).isEqualTo(before);
        assertThat(Json.pretty(n)).contains("\"ttl\": \"1h0m0s\"");
    }
}
