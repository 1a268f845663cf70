package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.ExpressionFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The JEXL text of pipes: each becomes a call through the {@code fn} namespace with the left operand as its first
 * argument, and JEXL's bitwise {@code |} never appears; {@code ||} stays the logical or.
 */
class TranslatorPipeTest {

    private static final Environment DECLARED = Environment.builder()
            .variable("x", "a")
            .variable("y", Map.of())
            .function(ExpressionFunction.of("f", 1, a -> a.get(0)))
            .build();

    static Stream<Arguments> translations() {
        return Stream.of(
                arguments("x | upper()", "fn:call('upper' , __v0 )"),
                arguments("x | split(',') | join('-')",
                        "fn:call('join' , fn:call('split' , __v0 , ',' ) , '-' )"),
                arguments("x + 'b' | f()", "fn:call('f' , __v0 + 'b' )"),
                arguments("x || y | f()", "fn:call('f' , __v0 || __v1 )"),
                arguments("x ? y : 'c' | upper()", "__v0 ? __v1 : fn:call('upper' , 'c' )"),
                arguments("replace(x | upper(), 'a|b', 'c')",
                        "fn:call('replace' , fn:call('upper' , __v0 ) , 'a|b' , 'c' )"),
                arguments("[x | lower()]", "[ fn:call('lower' , __v0 ) ]"),
                arguments("x ?? 'd' | upper()", "fn:call('upper' , ( __v0 ?? 'd' ) )"),
                arguments("[] | first() ?? 'd'", "( fn:call('first' , [ ] ) ?? 'd' )"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("translations")
    void aPipeIsACallNeverABitwiseOr(String expr, String jexl) throws Exception {
        Translation translation = Translator.translate(ExprLexer.tokens(expr), DECLARED);
        assertThat(translation.jexl()).isEqualTo(jexl);
        assertThat(translation.jexl().replace("||", "").replace("'a|b'", "")).doesNotContain("|");
    }
}
