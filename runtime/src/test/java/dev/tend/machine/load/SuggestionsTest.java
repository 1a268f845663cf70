package dev.tend.machine.load;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {

    private static final List<String> FIELDS = List.of("name", "type", "state_match", "success_transition",
            "fail_transition", "interval", "announce_interval", "properties", "command", "machine_name");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "comand, command",
            "commmand, command",
            "exce, none",
            "Name, name",
            "nmae, name",
            "tpye, type",
            "properites, properties",
            "statematch, state_match",
            "succes_transition, success_transition",
            "machine, machine_name",
            "intervals, interval",
            "x, none",
            "name, none",
            "colour, none",
            "transition, none",
    })
    void suggestsCloseNames(String input, String expected) {
        assertThat(Suggestions.closest(input, FIELDS).orElse(null)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"exce, exec", "fiel, file", "kv, none", "schedul, schedule"})
    void suggestsTypes(String input, String expected) {
        assertThat(Suggestions.closest(input, List.of("exec", "file", "schedule", "timer")).orElse("none"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"kitten, sitting, 3", "exce, exec, 1", "abc, abc, 0", "'', abc, 3", "ab, ba, 1"})
    void measuresEditDistance(String a, String b, int distance) {
        assertThat(Suggestions.distance(a, b)).isEqualTo(distance);
    }
}
