package dev.tend.machine.expression;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** expr's semantics over generated values: literals read back as written, operators as Go computes them. */
class ExpressionPropertiesTest {

    private static final ExpressionCompiler COMPILER = ExpressionCompiler.standard();

    private static Object eval(String source, Environment env) throws Exception {
        return COMPILER.compile(source, env).evaluate(env);
    }

    /** A Go-style quoted literal of any text: escapes for the quote, backslash and control characters. */
    private static String quote(String text, char quote) {
        StringBuilder out = new StringBuilder().append(quote);
        text.codePoints().forEach(cp -> {
            if (cp == quote || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp < 0x20 || cp == 0x7f) {
                out.append(String.format("\\x%02x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(quote).toString();
    }

    @Property(tries = 300)
    void stringLiteralsReadBackInBothQuoteStyles(@ForAll @StringLength(max = 30) String text) throws Exception {
        Environment env = Environment.builder().build();
        assertThat(eval(quote(text, '"'), env)).isEqualTo(text);
        assertThat(eval(quote(text, '\''), env)).isEqualTo(text);
    }

    @Property(tries = 300)
    void integerArithmeticIsGos(@ForAll @IntRange(min = -100_000, max = 100_000) int a,
                                @ForAll @IntRange(min = -100_000, max = 100_000) int b,
                                @ForAll @IntRange(min = 1, max = 1000) int c) throws Exception {
        Environment env = Environment.builder().variable("a", a).variable("b", b).variable("c", c).build();
        assertThat(eval("a + b * c - a % c", env)).isEqualTo((long) a + (long) b * c - (long) a % c);
        assertThat(eval("a / c", env)).isEqualTo((double) a / c);
        assertThat(eval("a < b", env)).isEqualTo(a < b);
        assertThat(eval("a == b || a != b", env)).isEqualTo(true);
        assertThat(eval("a in [b, c]", env)).isEqualTo(a == b || a == c);
        assertThat(eval("-a", env)).isEqualTo(-(long) a);
    }

    @Property(tries = 300)
    void stringOperatorsAreGos(@ForAll @StringLength(max = 12) String s, @ForAll @StringLength(max = 4) String t)
            throws Exception {
        Environment env = Environment.builder().variable("data", Map.of("s", s, "t", t)).build();
        assertThat(eval("data.s contains data.t", env)).isEqualTo(s.contains(t));
        assertThat(eval("data.s startsWith data.t", env)).isEqualTo(s.startsWith(t));
        assertThat(eval("data.s endsWith data.t", env)).isEqualTo(s.endsWith(t));
        assertThat(eval("data.s not contains data.t", env)).isEqualTo(!s.contains(t));
        assertThat(eval("data.s + data.t", env)).isEqualTo(s + t);
        assertThat(eval("data.s == data.t", env)).isEqualTo(s.equals(t));
        assertThat(eval("len(data.s)", env)).isEqualTo((long) s.codePointCount(0, s.length()));
        assertThat(eval("data.t in [data.s]", env)).isEqualTo(s.equals(t));
    }

    @Property(tries = 200)
    void aMissingKeyIsNilAndAPresentOneItsValue(@ForAll @StringLength(min = 1, max = 10) String key,
                                                @ForAll int value) throws Exception {
        Environment env = Environment.builder().variable("data", Map.of(key, value)).build();
        String literal = quote(key, '"');
        assertThat(eval("data[" + literal + "]", env)).isEqualTo((long) value);
        assertThat(eval("data[" + literal + " + 'x'] == nil", env)).isEqualTo(true);
        assertThat(eval(literal + " in data", env)).isEqualTo(true);
        assertThat(eval("[data[" + literal + "]]", env)).isEqualTo(List.of((long) value));
    }
}
