package dev.tend.machine.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GoNumbersTest {

    private final ObjectMapper go = JsonMapper.builder().addModule(GoNumbers.module()).build();

    private static Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("bytes", 22194048.0);
        values.put("ratio", 0.5);
        values.put("huge", 1e21);
        values.put("tiny", 1e-7);
        values.put("float", 0.1f);
        values.put("count", 3);
        values.put("list", List.of(1.0, 2.5, "x"));
        return values;
    }

    @Test
    void doublesAndFloatsAreWrittenAsGoWritesThem() throws Exception {
        assertThat(go.writeValueAsString(values())).isEqualTo("{\"bytes\":22194048,\"ratio\":0.5,\"huge\":1e+21,"
                + "\"tiny\":1e-7,\"float\":0.1,\"count\":3,\"list\":[1,2.5,\"x\"]}");
        assertThat(go.writeValueAsString(new Reading(1.0, 2.0f))).isEqualTo("{\"value\":1,\"ratio\":2}");
    }

    /** Primitive fields. */
    record Reading(double value, float ratio) {
    }

    @Test
    void indentedOutputKeepsItsLayout() throws Exception {
        String indented = go.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(Map.of("list", List.of(1.0, 2.0)));
        String plain = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(Map.of("list", List.of(1, 2)));
        assertThat(indented).isEqualTo(plain);
    }

    @Test
    void theFormSurvivesATree() throws Exception {
        JsonNode tree = go.valueToTree(values());
        assertThat(new ObjectMapper().writeValueAsString(tree)).isEqualTo(go.writeValueAsString(values()));
    }

    @Test
    void notANumberAndTheInfinitiesAreWrittenAsBeforeNeverFailing() throws Exception {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("nan", Double.NaN);
        values.put("inf", Double.POSITIVE_INFINITY);
        values.put("minus", Float.NEGATIVE_INFINITY);
        String before = new ObjectMapper().writeValueAsString(values);

        assertThat(go.writeValueAsString(values)).isEqualTo(before)
                .isEqualTo("{\"nan\":\"NaN\",\"inf\":\"Infinity\",\"minus\":\"-Infinity\"}");
        assertThat(new ObjectMapper().writeValueAsString(go.valueToTree(values))).isEqualTo(before);
    }
}
