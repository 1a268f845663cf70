package dev.tend.machine.load;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MachineDurationsTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource(delimiter = '|', value = {
            // every unit
            "1ns | 1",
            "1us | 1000",
            "1\u00b5s | 1000",
            "1\u03bcs | 1000",
            "1ms | 1000000",
            "1s | 1000000000",
            "1m | 60000000000",
            "1h | 3600000000000",
            "1d | 86400000000000",
            "1w | 604800000000000",
            // fractions
            "1.5s | 1500000000",
            ".5s | 500000000",
            "1.s | 1000000000",
            "0.000000001s | 1",
            "1.0000000019s | 1000000001",
            "1.5h | 5400000000000",
            // combinations
            "2h45m | 9900000000000",
            "1h30m10s | 5410000000000",
            "1m1.5s | 61500000000",
            "1d12h | 129600000000000",
            "300ms | 300000000",
            "1s500ms | 1500000000",
            // signs and zero
            "+10s | 10000000000",
            "0 | 0",
            "+0 | 0",
            "0s | 0",
            "' 10s ' | 10000000000",
            "2562047h47m16.854775807s | 9223372036854775807",
    })
    void readsGoDurations(String text, long nanos) throws ValueException {
        assertThat(MachineDurations.property(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "10 | invalid duration \"10\": add a unit, e.g. 10s",
            "1.5 | invalid duration \"1.5\": add a unit, e.g. 1.5s",
            "'' | invalid duration \"\": it is empty; use e.g. 10s, 5m or 1h30m",
            "-1s | invalid duration \"-1s\": must not be negative",
            "-0s | invalid duration \"-0s\": must not be negative",
            "1H | invalid duration \"1H\": unknown unit \"H\": units are lower case, e.g. h",
            "1y | invalid duration \"1y\": unknown unit \"y\": years have no fixed length; use d, e.g. 365d",
            "5x | invalid duration \"5x\": unknown unit \"x\"; use ns, us, ms, s, m, h, d, w",
            "1h 30m | invalid duration \"1h 30m\": unexpected space; write the value without spaces, e.g. 1h30m",
            "s | invalid duration \"s\": expected a number before \"s\"",
            "1s1 | invalid duration \"1s1\": add a unit after 1 (ns, us, ms, s, m, h, d, w)",
            "9999999h | invalid duration \"9999999h\": too long; the limit is 2562047h47m16.854775807s (about 292 years)",
    })
    void refusesBadGoDurations(String text, String message) {
        assertThatThrownBy(() -> MachineDurations.property(text)).isInstanceOf(ValueException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource(delimiter = '|', value = {
            // the calendar suffixes, float counts, truncated to whole hours
            "1d | 86400000000000",
            "1D | 86400000000000",
            "1.5d | 129600000000000",
            "2w | 1209600000000000",
            "2W | 1209600000000000",
            "1M | 2592000000000000",
            "1y | 31536000000000000",
            "1Y | 31536000000000000",
            "0.01d | 0",
            "0.05d | 3600000000000",
            "1e1d | 864000000000000",
            "+1d | 86400000000000",
            "' 3d ' | 259200000000000",
            // everything else is a duration
            "5s | 5000000000",
            "1h30m | 5400000000000",
            "500ms | 500000000",
            "1d12h | 129600000000000",
            "0 | 0",
            "'' | 0",
            "'   ' | 0",
    })
    void readsExtendedDurations(String text, long nanos) throws ValueException {
        assertThat(MachineDurations.extended(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "-1d | invalid duration \"-1d\": must not be negative",
            "-0d | invalid duration \"-0d\": must not be negative",
            "-5m | invalid duration \"-5m\": must not be negative",
            "1 d | invalid duration \"1 d\": unexpected space; write the value without spaces, e.g. 1h30m",
            "10 | invalid duration \"10\": add a unit, e.g. 10s",
            "1H | invalid duration \"1H\": unknown unit \"H\": units are lower case, e.g. h",
            "d | invalid duration \"d\": expected a number before \"d\"",
            "99999999y | invalid duration \"99999999y\": too long; the limit is about 292 years",
    })
    void refusesBadExtendedDurations(String text, String message) {
        assertThatThrownBy(() -> MachineDurations.extended(text)).isInstanceOf(ValueException.class)
                .hasMessage(message);
    }
}
