package dev.tend.machine.expression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * expr's pipe operator: {@code x | f(a)} is {@code f(x, a)}, chains run left to right, and {@code |} binds looser than
 * every other binary operator, so its left operand is all that precedes it in the expression, the bracket's element or
 * argument, or the ternary's branch. The values are those expr gives (its language definition and its own pipe tests).
 */
class PipeTest {

    private static final ExpressionCompiler COMPILER = ExpressionCompiler.standard();
    private static final Environment ENV = ExpressionValuesTest.environment();

    static Stream<Arguments> values() {
        return Stream.of(
                // the documented forms
                arguments("data.name | upper()", "WEB01.EXAMPLE.NET"),
                arguments("data.name | upper() | lower() | split(\".\")", List.of("web01", "example", "net")),
                arguments("data.name | split(\".\") | join(\"-\")", "web01-example-net"),
                arguments("data.name | replace(\".\", \"_\")", "web01_example_net"),
                arguments("data.name | trimSuffix(\".example.net\") | upper() | len()", 5L),
                arguments("data.temp | twice()", 36L),
                arguments("data.temp | twice() | twice()", 72L),
                // expr's own pipe tests
                arguments("-1 | abs()", 1L),
                arguments("[] | first() ?? \"foo\"", "foo"),
                arguments("\"a\" | upper() + \"B\" | lower()", "ab"),
                arguments("\"%s\" | replace(\"%s\", -42 | abs() | string())", "42"),
                // precedence: the lowest of the binary operators
                arguments("1 + 2 | string()", "3"),
                arguments("2 * 3 + 1 | string() | len()", 1L),
                arguments("false && true | string()", "false"),
                arguments("1 == 1 || false | string()", "true"),
                arguments("data.temp > 20 | string()", "false"),
                arguments("\"web\" in data.tags | string()", "false"),
                arguments("data.name matches \"^web\" | string()", "true"),
                arguments("data.nothing ?? \"d\" | upper()", "D"),
                arguments("not data.flag | string()", "false"),
                arguments("-data.temp | abs()", 18L),
                arguments("\"a\" | upper() == \"A\"", true),
                arguments("data.name | len() > 10 && data.flag", true),
                // the ternary: the condition, or a branch, not the whole
                arguments("\"a\" | upper() == \"A\" ? 1 : 2", 1L),
                arguments("true ? \"a\" : \"b\" | upper()", "a"),
                arguments("false ? \"a\" : \"b\" | upper()", "B"),
                arguments("true ? \"a\" | upper() : \"b\"", "A"),
                arguments("false ? 1 : true ? \"c\" : \"d\" | upper()", "c"),
                // parentheses
                arguments("(\"ab\" | upper()) + \"c\"", "ABc"),
                arguments("(\"ab\" + \"c\" | upper()) | len()", 3L),
                arguments("(data.name | split(\".\"))[1]", "example"),
                arguments("(data.nested | get(\"inner\")).value", "x"),
                // inside function arguments, indexes, arrays and maps
                arguments("join([\"a\", \"b\" | upper()], \"-\")", "a-B"),
                arguments("join(data.tags | sort(\"desc\"), \",\")", "b,a"),
                arguments("replace(\"a-b\" | upper(), \"-\", \"+\" | repeat(2))", "A++B"),
                arguments("upper(data.name | trimSuffix(\".net\"))", "WEB01.EXAMPLE"),
                arguments("data.list[\"1\" | int()]", 2L),
                arguments("[\"a\" | upper(), \"b\"]", List.of("A", "b")),
                arguments("{k: \"v\" | upper(), n: 1 | string()}", Map.of("k", "V", "n", "1")),
                arguments("{k: \"v\" | upper()}.k", "V"),
                // a | in a string is text; || is the logical or
                arguments("\"a|b\" | upper()", "A|B"),
                arguments("'|' + `|` | len()", 2L),
                arguments("data.name contains \"|\"", false),
                arguments("false || true", true),
                arguments("false||data.flag", true),
                arguments("data.flag || false | string()", "true"),
                // several lines
                arguments("data.name\n  | upper()\n  | lower()", "web01.example.net"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("values")
    void pipesPassTheirLeftOperandAsTheFirstArgument(String source, Object expected) throws Exception {
        assertThat(COMPILER.compile(source, ENV).evaluate(ENV)).isEqualTo(expected);
    }

    @Test
    void aPipedConditionIsABoolean() throws Exception {
        assertThat(COMPILER.compileBoolean("data.name | hasPrefix(\"web\")", ENV).evaluate(ENV)).isEqualTo(true);
        assertThat(COMPILER.compileBoolean("data.name | upper() | hasSuffix(\"NET\") && data.temp < 20", ENV)
                .evaluate(ENV)).isEqualTo(true);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("data.name |", "the pipe | passes its value to a function call, as in x | lower(): "
                        + "found the end (column 11)"),
                arguments("data.name | upper", "the pipe | passes its value to a function call, as in x | lower(): "
                        + "found upper without \"(\" (column 13)"),
                arguments("data.name | upper | lower()", "found upper without \"(\" (column 13)"),
                arguments("data.name | 1", "found 1 (column 13)"),
                arguments("data.name | \"x\"", "found a string (column 13)"),
                arguments("data.name | (upper())", "found \"(\" (column 13)"),
                arguments("data.name | data.x", "found data without \"(\" (column 13)"),
                arguments("data.name | true", "found \"true\" (column 13)"),
                arguments("data.name | not upper()", "found \"not\" (column 13)"),
                arguments("data.name | | upper()", "found \"|\" (column 13)"),
                arguments("| upper()", "unexpected token Operator(\"|\") (column 1)"),
                arguments("data.flag ||| data.flag", "unexpected token Operator(\"|\") (column 13)"),
                arguments("(| upper())", "unexpected token Operator(\"|\") (column 2)"),
                arguments("data.name | nope()", "unknown func nope (column 13)"),
                arguments("data.name | len(1)", "invalid number of arguments to len (expected 1, got 2) (column 13)"),
                arguments("data.name | upper(", "unclosed \"(\" (column 13)"),
                arguments("data.list | filter(# > 1)", "filter() takes a predicate: predicates are not supported"),
                arguments("data.name | now()", "now(): date functions are not supported"),
                arguments("data.name | upper().x", "unexpected token Operator(\".\") after a pipe: put the pipe in "
                        + "parentheses, as in (x | f()).name (column 20)"),
                arguments("data.name | split(\".\")[0]", "unexpected token Bracket(\"[\") after a pipe: put the pipe in "
                        + "parentheses, as in (x | f())[0] (column 23)"),
                arguments("data.name | upper()?.x", "unexpected token Operator(\"?.\") after a pipe: put the pipe in "
                        + "parentheses, as in (x | f())?.name (column 20)"),
                arguments("data.name\n | upper", "found upper without \"(\" (line 2, column 4)"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refused")
    void aPipeIntoAnythingButAFunctionCallIsRefusedWithItsPosition(String source, String message) {
        assertThatThrownBy(() -> COMPILER.compile(source, ENV))
                .isInstanceOf(ExpressionSyntaxException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aConstantPipeIsEvaluatedAtLoad() {
        assertThatThrownBy(() -> COMPILER.compile("1 | upper()", ENV))
                .isInstanceOf(ExpressionSyntaxException.class)
                .hasMessage("upper: expected string, but got int (column 1)");
    }

    @Test
    void aPipedFunctionFailsAtRunTimeWithItsMessage() throws Exception {
        Expression expression = COMPILER.compile("data.temp | upper()", ENV);
        assertThatThrownBy(() -> expression.evaluate(ENV))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining("upper: expected string, but got int");
    }
}
