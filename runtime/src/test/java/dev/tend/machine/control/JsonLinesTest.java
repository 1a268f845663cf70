package dev.tend.machine.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JsonLines} reads, writes and converts as the object mapper does with its default settings. */
class JsonLinesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void readsWritesAndConvertsAsTheObjectMapper() throws Exception {
        for (String line : List.of(
                "{\"v\":1,\"ok\":true,\"machines\":[{\"name\":\"a\",\"state\":\"on\",\"watchers\":[{\"state\":"
                        + "{\"n\":3,\"big\":12345678901,\"huge\":123456789012345678901234567890,\"d\":1.5,"
                        + "\"e\":1e3,\"s\":\"é\\u0001\\\"\",\"t\":false,\"z\":null,\"l\":[1,\"x\",{}],\"o\":{}}}]}]}",
                "{\"dup\":1,\"dup\":2}",
                "[]",
                "\"text\"",
                "-7",
                "{\"a\":[[],[[]]]} trailing")) {
            JsonNode mine = JsonLines.read(line);
            JsonNode theirs = MAPPER.readTree(line);
            assertThat(mine).as(line).isEqualTo(theirs);
            assertThat(JsonLines.write(mine)).isEqualTo(MAPPER.writeValueAsString(theirs));
            assertThat(JsonLines.toJava(mine)).isEqualTo(MAPPER.convertValue(theirs, Object.class));
            if (mine.isObject()) {
                mine.fields().forEachRemaining(f -> assertThat(classes(JsonLines.toJava(f.getValue())))
                        .isEqualTo(classes(MAPPER.convertValue(f.getValue(), Object.class))));
            }
        }
    }

    @Test
    void badJsonIsAnError() throws Exception {
        assertThat(JsonLines.read("")).isNull();
        assertThatThrownBy(() -> JsonLines.read("{\"a\":")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonLines.read("{nope}")).isInstanceOf(JsonProcessingException.class);
    }

    /** The Java classes of a value, deeply (equal maps could hold an Integer on one side and a Long on the other). */
    private static String classes(Object v) {
        if (v instanceof java.util.Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, x) -> b.append(k).append('=').append(classes(x)).append(','));
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            return l.stream().map(JsonLinesTest::classes).toList().toString();
        }
        return v == null ? "null" : v.getClass().getSimpleName();
    }
}
