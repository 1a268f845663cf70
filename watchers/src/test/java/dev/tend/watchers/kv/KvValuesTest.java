package dev.tend.watchers.kv;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KvValuesTest {

    private static Object parse(String value, String query) {
        return KvValues.parse(value.getBytes(StandardCharsets.UTF_8), query, "CFG > k",
                LoggerFactory.getLogger(KvValuesTest.class));
    }

    @Test
    void objectsAndArraysAreParsedAfterTrimmingAnythingElseIsTheRawText() {
        assertThat(parse("\n\t{\"a\": {\"b\": [1, 2.5, \"x\", null]}}\n", "")).isEqualTo(
                Map.of("a", Map.of("b", Arrays.asList(1, 2.5, "x", null))));
        assertThat(parse(" [\"a\", {\"b\": true}] ", "")).isEqualTo(List.of("a", Map.of("b", true)));
        assertThat(parse(" 42 ", "")).isEqualTo(" 42 ");
        assertThat(parse("true", "")).isEqualTo("true");
        assertThat(parse("", "")).isEqualTo("");
        assertThat(parse("{ unbalanced", "")).isEqualTo("{ unbalanced");
    }

    @Test
    void jsonThatDoesNotParseBecomesEmptyAsInTheReference() {
        assertThat(parse("{not: json}", "")).isEqualTo(Map.of());
        assertThat(parse("{\"a\": 1} trailing }", "")).isEqualTo(Map.of());
        assertThat(parse("[1, 2", "")).isEqualTo("[1, 2");
        assertThat(parse("[1, 2,]", "")).isEqualTo(List.of());
    }

    @Test
    void queryPicksFromObjectsOnlyAndKeepsTheTextWhenNothingIsThere() {
        String doc = "{\"spec\": {\"replicas\": 3, \"tags\": [\"x\", \"y\"]}}";
        assertThat(parse(doc, "spec.replicas")).isEqualTo(3);
        assertThat(parse(doc, "spec.tags.#")).isEqualTo(2);
        assertThat(parse(doc, "spec")).isEqualTo(Map.of("replicas", 3, "tags", List.of("x", "y")));
        assertThat(parse(doc, "spec.missing")).isEqualTo(doc);
        assertThat(parse("[1, 2]", "0")).as("not an object: no query").isEqualTo(List.of(1, 2));
    }

    @Test
    void sameComparesDeeplyAndNumbersByValue() {
        assertThat(KvValues.same(Map.of("a", 1, "b", List.of(1L, 2.0)), Map.of("b", List.of(1, 2), "a", 1.0))).isTrue();
        assertThat(KvValues.same(Map.of("a", 1), Map.of("a", 1, "b", 2))).isFalse();
        assertThat(KvValues.same(List.of(1, 2), List.of(2, 1))).isFalse();
        assertThat(KvValues.same("1", 1)).isFalse();
        assertThat(KvValues.same(null, null)).isTrue();
        assertThat(KvValues.same(null, "")).isFalse();
        assertThat(KvValues.same(new java.math.BigInteger("123456789012345678901234567890"),
                new java.math.BigInteger("123456789012345678901234567890"))).isTrue();
        assertThat(KvValues.same(0.1, 0.1f)).isFalse();
    }
}
