package dev.tend.machine.input;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.resolver.Resolver;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** SnakeYAML's syntax errors as {@link YamlErrors} says them: the commonest in plain words at their line and column. */
class YamlErrorsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("a key between two levels", """
                        transitions:
                          - name: go
                            from: [A]
                           watchers: []
                        """, "4: invalid YAML at column 4: this line is indented by 3 spaces: less than line 3 above "
                        + "it (4) but more than line 2 (2), so it belongs to neither; keys at the same level must "
                        + "line up"),
                arguments("a key indented more than the one above", """
                        watchers:
                          - name: w
                            properties:
                              command: echo
                                interval: 5s
                        """, "5: invalid YAML at column 9: this line is indented more than line 4 above it (8 "
                        + "spaces against 6), so YAML reads it as the rest of that line's value; keys at the same "
                        + "level must line up"),
                arguments("a key indented more after a flow value", """
                        transitions:
                          - name: go
                            from: [A]
                              destination: B
                        """, "4: invalid YAML at column 7: this line is indented more than line 3 above it (6 "
                        + "spaces against 4), which already has its value; keys at the same level must line up"),
                arguments("a colon in a value", "name: m\nversion: a: b\n",
                        "2: invalid YAML at column 11: this value contains ': ', which YAML reads as the start of "
                                + "another key; put the value in quotes"),
                arguments("a key without its colon", "name: m\ninitial_state\ntransitions: []\n",
                        "2: invalid YAML at column 1: \"initial_state\" is not followed by ':'; write a key and its "
                                + "value as key: value"),
                arguments("a tab", "name: m\ntransitions:\n\t- name: x\n",
                        "3: invalid YAML at column 1: a tab is used to indent this line; YAML indents with spaces "
                                + "only"),
                arguments("an unclosed quote", "name: m\nversion: \"1.0.0\ninitial_state: A\n",
                        "2: invalid YAML at column 10: the value quoted with \" here is never closed; add the "
                                + "closing \""),
                arguments("an unclosed flow list keeps SnakeYAML's words", "name: m\nversion: [1\n",
                        "3: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void saysWhatIsWrongAtItsLine(String name, String yaml, String expected) {
        MarkedYAMLException e = catchThrowableOfType(MarkedYAMLException.class, () -> parse(yaml));
        assertThat(e).as("a syntax error").isNotNull();
        assertThat(YamlErrors.line(e) + ": " + YamlErrors.message(e)).isEqualTo(expected);
    }

    private static void parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        new Composer(new ParserImpl(new TextStreamReader(yaml), options), new Resolver(), options).getSingleNode();
    }
}
