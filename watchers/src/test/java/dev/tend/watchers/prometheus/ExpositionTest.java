package dev.tend.watchers.prometheus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Names made valid, label values quoted, values as Go's %f. */
class ExpositionTest {

    @Test
    void validNamesAreKeptOthersGetUnderscores() {
        assertThat(Exposition.metricName("choria_machine:x_1")).isEqualTo("choria_machine:x_1");
        assertThat(Exposition.metricName("a-b.c/d é")).isEqualTo("a_b_c_d__");
        assertThat(Exposition.metricName("1up")).isEqualTo("_1up");
        assertThat(Exposition.labelName("a:b")).isEqualTo("a_b");
        assertThat(Exposition.labelName("")).isEqualTo("_");
    }

    @Test
    void labelValuesAreQuotedAndEscaped() {
        assertThat(Exposition.labelValue("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\nd\"");
    }

    @Test
    void valuesHaveSixDecimals() {
        assertThat(Exposition.value(1.1)).isEqualTo("1.100000");
        assertThat(Exposition.value(-237)).isEqualTo("-237.000000");
        assertThat(Exposition.value(Double.NaN)).isEqualTo("NaN");
        assertThat(Exposition.value(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(Exposition.value(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }
}
