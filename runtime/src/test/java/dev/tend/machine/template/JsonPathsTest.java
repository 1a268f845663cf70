package dev.tend.machine.template;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonPathsTest {

    private static final Object NONE = new Object();

    private static Map<String, Object> doc() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", "web");
        d.put("a.b", 1);
        d.put("nothing", null);
        d.put("users", List.of(Map.of("name", "ann"), Map.of("name", "bob")));
        d.put("spec", Map.of("replicas", 3, "tags", Arrays.asList("x", "y")));
        return d;
    }

    @Test
    void findsValuesByTheSameSyntaxAsLookup() {
        assertThat(JsonPaths.find(doc(), "name", NONE)).isEqualTo("web");
        assertThat(JsonPaths.find(doc(), "a\\.b", NONE)).isEqualTo(1);
        assertThat(JsonPaths.find(doc(), "spec.replicas", NONE)).isEqualTo(3);
        assertThat(JsonPaths.find(doc(), "spec.tags.1", NONE)).isEqualTo("y");
        assertThat(JsonPaths.find(doc(), "users.#", NONE)).isEqualTo(2);
        assertThat(JsonPaths.find(doc(), "users.#.name", NONE)).isEqualTo(List.of("ann", "bob"));
        assertThat(JsonPaths.find(doc(), "sp?c.repl*", NONE)).isEqualTo(3);
        assertThat(JsonPaths.find(doc(), "spec", NONE)).isEqualTo(Map.of("replicas", 3, "tags", List.of("x", "y")));
    }

    @Test
    void tellsAMissingPathFromAJsonNull() {
        assertThat(JsonPaths.find(doc(), "missing", NONE)).isSameAs(NONE);
        assertThat(JsonPaths.find(doc(), "spec.tags.9", NONE)).isSameAs(NONE);
        assertThat(JsonPaths.find(doc(), "nothing", NONE)).isNull();
    }

    @Test
    void refusesUnsupportedSyntaxWithOneLine() {
        assertThat(JsonPaths.problem("spec.replicas")).isEmpty();
        assertThat(JsonPaths.problem("users.#(name==\"ann\")"))
                .contains("gjson queries (#(...)) are not supported in \"users.#(name==\"ann\")\"");
        assertThat(JsonPaths.problem("@reverse")).contains("gjson modifiers (@...) are not supported in \"@reverse\"");
        assertThat(JsonPaths.problem("a|b")).contains("gjson pipes (|) are not supported in \"a|b\"");
        assertThatThrownBy(() -> JsonPaths.find(doc(), "a|b", NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gjson pipes (|) are not supported in \"a|b\"");
    }
}
