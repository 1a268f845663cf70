package dev.tend.units;

import dev.tend.kv.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
            "0, 0",
            "-0, 0",
            "+0, 0",
            "0s, 0",
            "0h0m0s, 0",
            "1ns, 1",
            "1us, 1000",
            "1\u00b5s, 1000",
            "1\u03bcs, 1000",
            "1ms, 1000000",
            "500ms, 500000000",
            "1s, 1000000000",
            "10s, 10000000000",
            "1m, 60000000000",
            "1h, 3600000000000",
            "1d, 86400000000000",
            "1w, 604800000000000",
            "1h30m, 5400000000000",
            "1d12h, 129600000000000",
            "2w3d, 1468800000000000",
            "1h1m1s1ms1us1ns, 3661001001001",
            "1.5h, 5400000000000",
            "1.5s, 1500000000",
            ".5s, 500000000",
            "1.s, 1000000000",
            "0.001s, 1000000",
            "1.0000000001s, 1000000000",
            "1.9ns, 1",
            "1s1s, 2000000000",
            "30s1m, 90000000000",
            "-1.5h, -5400000000000",
            "+5m, 300000000000",
            "'  10s  ', 10000000000",
            "2562047h47m16.854775807s, 9223372036854775807",
            "-2562047h47m16.854775808s, -9223372036854775808",
    })
    void parses(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void daysAndWeeksAreFixedLengths() {
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofHours(24));
        assertThat(Durations.parse("1w")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1.5d")).isEqualTo(Duration.ofHours(36));
    }

    @Test
    void aBareNumberOtherThanZeroNeedsAUnitAndTheMessageSaysSo() {
        assertThatThrownBy(() -> Durations.parse("10"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid duration \"10\": add a unit, e.g. 10s");
        assertThatThrownBy(() -> Durations.parse("1.5"))
                .hasMessage("invalid duration \"1.5\": add a unit, e.g. 1.5s");
        assertThatThrownBy(() -> Durations.parse("00"))
                .hasMessage("invalid duration \"00\": add a unit, e.g. 00s");
        assertThatThrownBy(() -> Durations.parse("-5"))
                .hasMessage("invalid duration \"-5\": add a unit, e.g. -5s");
    }

    @Test
    void aMissingUnitAfterAnotherPartIsNamed() {
        assertThatThrownBy(() -> Durations.parse("1h30"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid duration \"1h30\": add a unit after 30 (ns, us, ms, s, m, h, d, w)");
    }

    @Test
    void monthsAndYearsAreRefusedWithAHint() {
        assertThatThrownBy(() -> Durations.parse("1M"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("invalid duration \"1M\": unknown unit \"M\"")
                .hasMessageContaining("use m for minutes");
        assertThatThrownBy(() -> Durations.parse("1y"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("years have no fixed length; use d, e.g. 365d");
        assertThatThrownBy(() -> Durations.parse("2mo"))
                .hasMessageContaining("months have no fixed length");
    }

    @Test
    void unitsAreCaseSensitiveWithAHint() {
        assertThatThrownBy(() -> Durations.parse("10S"))
                .hasMessage("invalid duration \"10S\": unknown unit \"S\": units are lower case, e.g. s");
        assertThatThrownBy(() -> Durations.parse("1H"))
                .hasMessageContaining("units are lower case, e.g. h");
        assertThatThrownBy(() -> Durations.parse("5MS"))
                .hasMessageContaining("units are lower case, e.g. ms");
    }

    @Test
    void unknownUnitsListTheKnownOnes() {
        assertThatThrownBy(() -> Durations.parse("5sec"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid duration \"5sec\": unknown unit \"sec\"; use ns, us, ms, s, m, h, d, w");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "-", "+", "s", "h1", ".s", "1..5s", "1.5.5s", "--1s", "1s-1s", "1e3s",
            "1h 30m", "10 s", "one second", "1_000s", "0x10s", "\u0661s", "1s\n2s", "\u221es"})
    void rejects(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("invalid duration \"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void specificMessages() {
        assertThatThrownBy(() -> Durations.parse(""))
                .hasMessage("invalid duration \"\": it is empty; use e.g. 10s, 5m or 1h30m");
        assertThatThrownBy(() -> Durations.parse(null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("a duration is required, e.g. 10s, 5m or 1h30m");
        assertThatThrownBy(() -> Durations.parse("h"))
                .hasMessage("invalid duration \"h\": expected a number before \"h\"");
        assertThatThrownBy(() -> Durations.parse("1h 30m"))
                .hasMessage("invalid duration \"1h 30m\": unexpected space; write the value without spaces, e.g. 1h30m");
        assertThatThrownBy(() -> Durations.parse("1s\n2s"))
                .hasMessageContaining("\\u000a");
    }

    @Test
    void longInputIsShortenedInTheMessage() {
        String text = "1" + "x".repeat(500);
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200).contains("..."));
    }

    @Test
    void valuesBeyondGoRangeAreRefused() {
        assertThatThrownBy(() -> Durations.parse("2562047h47m16.854775808s"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("too long; the limit is 2562047h47m16.854775807s");
        assertThatThrownBy(() -> Durations.parse("100000w"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("too long");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999999999999ns"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("too long");
    }

    @ParameterizedTest(name = "{0} ns -> {1}")
    @CsvSource({
            "0, 0s",
            "1, 1ns",
            "999, 999ns",
            "1000, 1\u00b5s",
            "1500, 1.5\u00b5s",
            "1000000, 1ms",
            "500000000, 500ms",
            "1234567, 1.234567ms",
            "1050000, 1.05ms",
            "1000500, 1.0005ms",
            "60010000000, 1m0.01s",
            "1000000000, 1s",
            "1500000000, 1.5s",
            "60000000000, 1m0s",
            "90000000000, 1m30s",
            "5400000000000, 1h30m0s",
            "129600000000000, 36h0m0s",
            "3661000000001, 1h1m1.000000001s",
            "-1500000000, -1.5s",
            "-1, -1ns",
            "9223372036854775807, 2562047h47m16.854775807s",
            "-9223372036854775808, -2562047h47m16.854775808s",
    })
    void formatsAsGo(long nanos, String expected) {
        assertThat(Durations.format(Duration.ofNanos(nanos))).isEqualTo(expected);
    }

    @Test
    void formatsDurationsLargerThanGoCan() {
        assertThat(Durations.format(Duration.ofDays(365 * 1000L))).isEqualTo("8760000h0m0s");
    }
}
