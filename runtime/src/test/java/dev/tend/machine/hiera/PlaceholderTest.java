package dev.tend.machine.hiera;

import dev.tend.machine.template.ValueText;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlaceholderTest {

    private static List<String> expressions(String text) {
        return Placeholder.find(text).stream().map(Placeholder::expression).toList();
    }

    @Test
    void bothDelimitersWithTheirPositions() {
        assertThat(Placeholder.find("env:{{ lookup('facts.env') }}!"))
                .containsExactly(new Placeholder(4, 29, "lookup('facts.env')"));
        assertThat(expressions("a${x}b{{y}}")).containsExactly("x", "y");
        assertThat(expressions("{{ }}")).containsExactly("");
    }

    @Test
    void closingDelimitersInsideQuotesDoNotClose() {
        assertThat(expressions("{{ lookup('a}}b') }}")).containsExactly("lookup('a}}b')");
        assertThat(expressions("{{ \"x\\\"}}\" + `}}` }}")).containsExactly("\"x\\\"}}\" + `}}`");
        assertThat(expressions("${ '}' }")).containsExactly("'}'");
    }

    @Test
    void dollarBracesNest() {
        assertThat(expressions("${ {'a': 1}.a }")).containsExactly("{'a': 1}.a");
    }

    @Test
    void aDollarBeforeDoubleBracesIsText() {
        assertThat(Placeholder.find("${{ x }}")).containsExactly(new Placeholder(1, 8, "x"));
    }

    @Test
    void anUnclosedOpenerIsText() {
        assertThat(expressions("role:{ lookup('facts.role') }}")).isEmpty();
        assertThat(expressions("{{ x")).isEmpty();
        assertThat(expressions("{{ 'x }} {{ y }}")).as("scanning goes on after the opener").containsExactly("y");
        assertThat(expressions("${ x {{ y }}")).containsExactly("y");
    }

    @Test
    void valuesInText() {
        assertThat(ValueText.GO.of(null)).isEqualTo("<nil>");
        assertThat(ValueText.GO.of(12L)).isEqualTo("12");
        assertThat(ValueText.GO.of(true)).isEqualTo("true");
        assertThat(ValueText.GO.of(1.5)).isEqualTo("1.5");
        assertThat(ValueText.GO.of(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(ValueText.GO.of(2.0)).isEqualTo("2");
        assertThat(ValueText.GO.of(1e20)).isEqualTo("100000000000000000000");
        assertThat(ValueText.GO.of(1e21)).isEqualTo("1e+21");
        assertThat(ValueText.GO.of(0.0001)).isEqualTo("0.0001");
        assertThat(ValueText.GO.of(0.00001)).isEqualTo("1e-05");
        assertThat(ValueText.GO.of(-1.25e-7)).isEqualTo("-1.25e-07");
        assertThat(ValueText.GO.of(List.of(1, "a"))).isEqualTo("[1,\"a\"]");
    }
}
