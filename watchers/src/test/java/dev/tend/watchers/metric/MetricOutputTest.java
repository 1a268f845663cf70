package dev.tend.watchers.metric;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two output formats, as the reference reads them, and what makes Choria's format unreadable. */
class MetricOutputTest {

    @Test
    void choriasFormat() throws Exception {
        MetricOutput.Parsed p = MetricOutput.parse("\n  {\"labels\": {\"unique\": \"u\"}, \"metrics\": {\"v1\": 1.0,"
                + " \"v2\": 1.1, \"big\": 12345678901}, \"other\": [1, 2]}\n");
        assertThat(p.labels()).isEqualTo(Map.of("format", "choria", "unique", "u"));
        assertThat(p.metrics()).isEqualTo(Map.of("v1", 1.0, "v2", 1.1, "big", 12345678901.0));
    }

    @Test
    void keysMatchCaseInsensitivelyNullsAreEmptyAndTheOutputMayReplaceFormat() throws Exception {
        MetricOutput.Parsed p = MetricOutput.parse("{\"Labels\": {\"format\": \"mine\", \"gone\": null},"
                + " \"METRICS\": {\"a\": null, \"b\": -2.5e3}, \"time\": 5}");
        assertThat(p.labels()).isEqualTo(Map.of("format", "mine", "gone", ""));
        assertThat(p.metrics()).isEqualTo(Map.of("a", 0.0, "b", -2500.0));
        assertThat(MetricOutput.parse("{\"labels\": null, \"metrics\": null}").labels()).isEmpty();
        assertThat(MetricOutput.parse("{}").labels()).isEqualTo(Map.of("format", "choria"));
    }

    @Test
    void nagiosPerformanceData() throws Exception {
        MetricOutput.Parsed p = MetricOutput.parse("DISK OK - free space: / 3326 MB (56%);| /=2643MB;5948;5958;0;5968"
                + " 'inode use'=12%;;;0;100 u=U;;");
        assertThat(p.labels()).isEqualTo(Map.of("format", "nagios"));
        assertThat(p.metrics()).isEqualTo(Map.of("/", 2643.0, "inode_use", 12.0));
        assertThat(MetricOutput.parse("").metrics()).isEmpty();
        assertThat(MetricOutput.parse("[1, 2]").metrics()).as("not Choria's format: no perfdata").isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"metrics\": {\"a\": 1}|the output is not JSON: Unexpected end-of-input",
            "{\"metrics\": {\"a\": 1}} {}|the output is not JSON: Trailing token",
            "{\"metrics\": {\"a\": \"1\"}}|metric \"a\" is a string, not a number",
            "{\"metrics\": {\"a\": true}}|metric \"a\" is a boolean, not a number",
            "{\"metrics\": [1]}|metrics is a array, not an object",
            "{\"labels\": {\"a\": 1}}|label \"a\" is a number, not a string",
            "{\"labels\": \"a\"}|labels is a string, not an object",
            "{\"time\": 1.5}|time is a number, not a whole number"})
    void unreadableChoriaFormat(String output, String message) {
        assertThatThrownBy(() -> MetricOutput.parse(output)).isInstanceOf(MetricOutput.BadOutput.class)
                .message().startsWith(message);
    }
}
