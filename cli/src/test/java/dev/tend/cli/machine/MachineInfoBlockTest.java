package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@code tend machine info} writes a watcher's state value or a data value. */
class MachineInfoBlockTest {

    @Test
    void valuesOfAnAnswerAreWrittenAsTheObjectMapperWritesThem() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", 1);
        nested.put("a", Arrays.asList("x", null, 2.5, false));
        nested.put("big", new BigInteger("123456789012345678901234567890"));
        nested.put("long", 12345678901L);
        nested.put("empty", Map.of());
        // The kinds an answer's values read as (JsonLines.toJava): maps, lists, numbers, booleans and null.
        for (Object v : Arrays.asList(0, -7, 12345678901L, new BigInteger("-98765432109876543210"), 0.25, -0.0, 1e300,
                true, false, null, List.of(), List.of(1, "two"), nested)) {
            assertThat(MachineInfoBlock.value(v)).as(String.valueOf(v)).isEqualTo(mapper.writeValueAsString(v));
        }
    }

    @Test
    void textIsWrittenAsItIsAndDurationsAsGoWritesThem() {
        assertThat(MachineInfoBlock.value("a \"quoted\" text")).isEqualTo("a \"quoted\" text");
        assertThat(MachineInfoBlock.value(Duration.ofMillis(1500))).isEqualTo("1.5s");
    }

    @Test
    void outputLinesAreSplitAsStringLinesSplitsThem() {
        for (String text : List.of("", "a", "a\n", "a\nb", "a\r\nb\rc\n", "\n\n", "a\n\nb", "\r", "\r\n", "x\r\r\ny")) {
            StringBuilder expected = new StringBuilder();
            text.lines().forEach(l -> expected.append("   ").append(l).append('\n'));
            StringBuilder actual = new StringBuilder();
            MachineInfoBlock.lines(actual, text);
            assertThat(actual.toString()).as(text.replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(expected.toString());
        }
    }
}
