package dev.tend.machine.expression;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What cannot be compiled is refused with a one-line message and its position; what fails at run time is an
 * {@link EvaluationException} with expr's message; nothing reaches a Java class.
 */
class ExpressionErrorsTest {

    private static final ExpressionCompiler COMPILER = ExpressionCompiler.standard();
    private static final Environment ENV = ExpressionValuesTest.environment();

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("dat.temp > 1", "unknown name dat (column 1)"),
                arguments("data.temp > 1 && nope", "unknown name nope (column 18)"),
                arguments("nope(1)", "unknown func nope (column 1)"),
                arguments("len(1, 2)", "invalid number of arguments to len (expected 1, got 2) (column 1)"),
                arguments("len()", "invalid number of arguments to len (expected 1, got 0) (column 1)"),
                arguments("data.temp >", "syntax error"),
                arguments("(data.temp > 1", "unclosed \"(\" (column 1)"),
                arguments("data.temp > 1)", "unexpected token Bracket(\")\") (column 14)"),
                arguments("'abc", "literal not terminated (column 1)"),
                arguments("data.temp ** 2", "the power operator ** is not supported (column 11)"),
                arguments("data.temp ^ 2", "the power operator ^ is not supported (column 11)"),
                arguments("1..3", "ranges (..) are not supported (column 2)"),
                arguments("data.name | upper", "the pipe | passes its value to a function call, as in x | lower(): "
                        + "found upper without \"(\" (column 13)"),
                arguments("let x = 1; x", "variables (let) are not supported (column 1)"),
                arguments("filter(data.list, # > 1)", "filter() takes a predicate: predicates are not supported"),
                arguments("all(data.list, {# > 1})", "all() takes a predicate"),
                arguments("now()", "now(): date functions are not supported"),
                arguments("data.list[0:1]", "slices ([a:b]) are not supported (column 12)"),
                arguments("data.name.Len()", "method calls are not supported: .Len() (column 11)"),
                arguments("data = 1", "unexpected \"=\": compare with =="),
                arguments("$env.data", "$env is not supported"),
                arguments("b'x'", "bytes literals are not supported"),
                arguments("'a' matches '('", "error parsing regexp"),
                arguments("\"a\" < 1", "invalid operation: < (mismatched types string and int)"),
                arguments("data.temp > 1\n && dat", "unknown name dat (line 2, column 5)"),
                arguments("1 +", "syntax error"),
                arguments("", "unexpected end of expression"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refused")
    void refusesAtCompileTimeWithThePosition(String source, String message) {
        assertThatThrownBy(() -> COMPILER.compile(source, ENV))
                .isInstanceOf(ExpressionSyntaxException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aConstantThatIsNotABooleanIsRefusedWhereABooleanIsNeeded() {
        assertThatThrownBy(() -> COMPILER.compileBoolean("1", ENV))
                .isInstanceOf(ExpressionSyntaxException.class)
                .hasMessage("expected bool, but got int (column 1)");
    }

    static Stream<Arguments> failing() {
        return Stream.of(
                arguments("data.missing < 20", "invalid operation: < (mismatched types nil and int)"),
                arguments("data.name > 1", "invalid operation: > (mismatched types string and int)"),
                arguments("data.name + 1", "invalid operation: + (mismatched types string and int)"),
                arguments("data.missing.deeper", "cannot fetch deeper from nil"),
                arguments("data.list[5]", "index out of range: 5 (array length is 3)"),
                arguments("data.temp && true", "expected bool, but got int"),
                arguments("!data.name", "invalid operation: ! (mismatched type string)"),
                arguments("data.temp % 0", "integer divide by zero"),
                arguments("len(data.temp)", "invalid argument for len (type int)"),
                arguments("data.temp matches 'x'", "invalid operation: matches (mismatched types int and string)"),
                arguments("data.temp contains 'x'", "invalid operation: contains (mismatched types int and string)"),
                arguments("'x' in data.temp", "operator \"in\" not defined on int"),
                arguments("data.name.length", "cannot fetch length from string"),
                arguments("twice('x')", "twice: java.lang.ClassCastException"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("failing")
    void failsAtRunTimeWithExprsMessage(String source, String message) throws Exception {
        Expression expression = COMPILER.compile(source, ENV);
        assertThatThrownBy(() -> expression.evaluate(ENV))
                .isInstanceOf(EvaluationException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aNonBooleanResultIsAnErrorForTest() throws Exception {
        Expression expression = COMPILER.compileBoolean("data.temp", ENV);
        assertThatThrownBy(() -> expression.test(ENV)).isInstanceOf(EvaluationException.class)
                .hasMessage("expected bool, but got int");
    }

    /** JEXL syntax that would reach Java is not expr, and is refused before JEXL sees it or by JEXL's features. */
    @Test
    void reachesNoJavaClass() throws Exception {
        for (String source : new String[]{"new('java.io.File', '/')", "data.getClass()", "''.class",
                "data.class.forName('java.lang.Runtime')", "fn:call('len', 'x')", "x = 1", "data['class']"}) {
            try {
                Object value = COMPILER.compile(source, ENV).evaluate(ENV);
                assertThat(value).as(source).isNull(); // a map's missing key
            } catch (ExpressionSyntaxException | EvaluationException e) {
                assertThat(e.getMessage()).as(source).doesNotContain("\n");
            }
        }
        assertThatThrownBy(() -> COMPILER.compile("''.class", ENV))
                .hasMessage("cannot fetch class from string (column 1)");
        assertThatThrownBy(() -> COMPILER.compile("data.name.class", ENV).evaluate(ENV))
                .hasMessage("cannot fetch class from string");
    }

    @Test
    void theEnvironmentsFunctionsWinOverBuiltIns() throws Exception {
        Environment env = ENV.toBuilder().function(ExpressionFunction.of("len", 1, a -> -1L)).build();
        assertThat(COMPILER.compile("len('abc')", env).evaluate(env)).isEqualTo(-1L);
        assertThat(COMPILER.compile("len('abc')", ENV).evaluate(ENV)).isEqualTo(3L);
    }

    @Test
    void evaluatesAgainstTheValuesOfEachCall() throws Exception {
        Expression expression = COMPILER.compileBoolean("data.temp < 20", ENV);
        Environment hot = ENV.toBuilder().variable("data", java.util.Map.of("temp", 25)).build();
        assertThat(expression.test(ENV)).isTrue();
        assertThat(expression.test(hot)).isFalse();
    }
}
