package dev.tend.machine.expression;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A table of expressions and the values expr gives them (expr-lang's semantics: the language definition and its
 * runtime), evaluated against a fixed environment.
 */
class ExpressionValuesTest {

    private static final ExpressionCompiler COMPILER = ExpressionCompiler.standard();

    static Environment environment() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("temp", 18);
        data.put("big", 10_000_000_000L);
        data.put("ratio", 0.5);
        data.put("name", "web01.example.net");
        data.put("list", List.of(1, 2, 3));
        data.put("tags", List.of("a", "b"));
        data.put("nested", Map.of("inner", Map.of("value", "x")));
        data.put("nothing", null);
        data.put("flag", true);
        data.put("with.dot", "dotted");
        Map<String, Object> facts = Map.of("os", Map.of("family", "Debian", "release", Map.of("major", "12")),
                "cpus", 4);
        return Environment.builder()
                .variable("data", data)
                .variable("facts", facts)
                .variable("identity", "web01.example.net")
                .function(ExpressionFunction.of("twice", 1, a -> ((Number) a.get(0)).longValue() * 2))
                .build();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // literals
                arguments("true", true),
                arguments("false", false),
                arguments("nil", null),
                arguments("42", 42L),
                arguments("0x2A", 42L),
                arguments("0o52", 42L),
                arguments("0b101010", 42L),
                arguments("1_000", 1000L),
                arguments("0.5", 0.5),
                arguments(".5", 0.5),
                arguments("1e3", 1000.0),
                arguments("\"double\"", "double"),
                arguments("'single'", "single"),
                arguments("`raw\\n`", "raw\\n"),
                arguments("\"tab\\tnew\\nline\"", "tab\tnew\nline"),
                arguments("'it\\'s'", "it's"),
                arguments("\"\\u00e9\"", "é"),
                arguments("[1, 'a', nil]", java.util.Arrays.asList(1L, "a", null)),
                arguments("{a: 1, 'b': 2}", Map.of("a", 1L, "b", 2L)),
                // arithmetic
                arguments("1 + 2 * 3", 7L),
                arguments("(1 + 2) * 3", 9L),
                arguments("7 / 2", 3.5),
                arguments("6 / 3", 2.0),
                arguments("7 % 3", 1L),
                arguments("-3 + 1", -2L),
                arguments("1 + 0.5", 1.5),
                arguments("'a' + 'b'", "ab"),
                arguments("10 - 2 - 3", 5L),
                // comparisons
                arguments("1 == 1.0", true),
                arguments("1 != 2", true),
                arguments("'1' == 1", false),
                arguments("nil == nil", true),
                arguments("nil == 0", false),
                arguments("2 < 3", true),
                arguments("3 <= 3", true),
                arguments("2.5 > 2", true),
                arguments("'abc' < 'abd'", true),
                arguments("[1, 2] == [1, 2]", true),
                // logic
                arguments("true && false", false),
                arguments("true and true", true),
                arguments("false || true", true),
                arguments("false or false", false),
                arguments("!true", false),
                arguments("not false", true),
                arguments("not (1 > 2)", true),
                arguments("true || 1 / 0 > 1", true),
                arguments("1 < 2 and 2 < 3 or false", true),
                // membership and strings
                arguments("\"a\" in [\"a\", \"b\"]", true),
                arguments("'c' in ['a', 'b']", false),
                arguments("'c' not in ['a', 'b']", true),
                arguments("2 in [1, 2.0]", true),
                arguments("'temp' in data", true),
                arguments("'missing' in data", false),
                arguments("1 in nil", false),
                arguments("\"foo\" matches \"^f\"", true),
                arguments("\"foo\" matches \"o+\"", true),
                arguments("\"foo\" matches \"^o\"", false),
                arguments("\"foo\" not matches \"^o\"", true),
                arguments("\"foobar\" contains \"oba\"", true),
                arguments("\"foobar\" not contains \"x\"", true),
                arguments("\"foobar\" startsWith \"foo\"", true),
                arguments("\"foobar\" endsWith \"bar\"", true),
                arguments("\"foobar\" not startsWith \"bar\"", true),
                arguments("\"foobar\" not endsWith \"bar\"", false),
                arguments("'a' + 'b' contains 'ab'", true),
                // access
                arguments("data.temp", 18L),
                arguments("data[\"temp\"]", 18L),
                arguments("data.missing", null),
                arguments("data.missing == nil", true),
                arguments("data.nothing", null),
                arguments("data.list[0]", 1L),
                arguments("data.list[-1]", 3L),
                arguments("data['with.dot']", "dotted"),
                arguments("data.nested.inner.value", "x"),
                arguments("data.missing?.deeper", null),
                arguments("data.missing ?? 'default'", "default"),
                arguments("data.temp ?? 'default'", 18L),
                // ?? binds tighter than any other binary operator
                arguments("data.temp ?? 0 > 20", false),
                arguments("1 + data.missing ?? 2", 3L),
                arguments("data.missing ?? data.nothing ?? 'x'", "x"),
                arguments("len(data.tags ?? []) == 2", true),
                arguments("data.list[0] ?? 5", 1L),
                arguments("!data.missing ?? false", true),
                arguments("(data.missing ?? 2) * -data.missing ?? -3", 6L),
                arguments("data.temp > 20 ? 1 : data.missing ?? 2", 2L),
                arguments("[data.missing ?? 1, 2][0]", 1L),
                arguments("data.nested?.inner.value ?? 'none'", "x"),
                arguments("facts.os.family", "Debian"),
                arguments("facts.os.release.major == '12'", true),
                arguments("identity", "web01.example.net"),
                arguments("data.big > 9999999999", true),
                arguments("data.ratio * 2", 1.0),
                arguments("'abc'[1]", "b"),
                arguments("data.temp != nil && data.temp < 20", true),
                arguments("data.temp > 20 ? 'hot' : 'fine'", "fine"),
                // functions
                arguments("len([1, 2, 3])", 3L),
                arguments("len('héllo')", 5L),
                arguments("len(data)", 10L),
                arguments("len(data.tags) == 2", true),
                arguments("twice(21)", 42L),
                arguments("upper('a') + lower('B')", "Ab"),
                arguments("trim('  x  ')", "x"),
                arguments("split('a,b', ',')", List.of("a", "b")),
                arguments("join(['a', 'b'], '-')", "a-b"),
                arguments("abs(-2)", 2L),
                arguments("max(1, 3, 2)", 3L),
                arguments("int('12') + 1", 13L),
                arguments("float(1)", 1.0),
                arguments("string(12)", "12"),
                arguments("type(nil)", "nil"),
                arguments("type(data.list)", "array"),
                arguments("first(data.tags)", "a"),
                arguments("last([])", null),
                arguments("keys({a: 1})", List.of("a")),
                arguments("get(data.list, 10)", null),
                arguments("hasPrefix('foo', 'f')", true),
                arguments("indexOf('apple pie', 'pie')", 6L),
                arguments("sort([3, 1, 2])", List.of(1L, 2L, 3L)),
                arguments("sum([1, 2, 3])", 6L),
                arguments("round(1.5)", 2.0),
                // comments and white space
                arguments("1 + /* two */ 2 // end", 3L),
                arguments("data.temp\n  < 20", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void evaluatesAsExprDoes(String source, Object expected) throws Exception {
        Expression expression = COMPILER.compile(source, environment());
        assertThat(expression.evaluate(environment())).isEqualTo(expected);
    }
}
