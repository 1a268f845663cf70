package dev.tend.machine.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoFloatTest {

    /** What Go's encoding/json writes for each float64 (json.Marshal). */
    @ParameterizedTest
    @CsvSource({
            "22194048.0, 22194048",
            "0.5, 0.5",
            "1e21, 1e+21",
            "1e-7, 1e-7",
            "1.5e-10, 1.5e-10",
            "-2.5e-300, -2.5e-300",
            "1e-6, 0.000001",
            "0.0001, 0.0001",
            "1e20, 100000000000000000000",
            "9.999999999999999e20, 999999999999999900000",
            "1.2345e22, 1.2345e+22",
            "-22194048.0, -22194048",
            "0.1, 0.1",
            "3.0, 3",
            "100.0, 100",
            "123456789.125, 123456789.125",
            "0.30000000000000004, 0.30000000000000004",
            "1.7976931348623157e308, 1.7976931348623157e+308",
            "4.9e-324, 5e-324",
            "0.0, 0",
            "-0.0, -0",
    })
    void doublesAsGoWritesThem(double value, String go) {
        assertThat(GoFloat.format(value)).isEqualTo(go);
    }

    /** What Go's encoding/json writes for each float32. */
    @ParameterizedTest
    @CsvSource({
            "0.1, 0.1",
            "1.0e7, 10000000",
            "1e21, 1e+21",
            "1e-7, 1e-7",
            "-0.0, -0",
    })
    void floatsAsGoWritesThem(float value, String go) {
        assertThat(GoFloat.format(value)).isEqualTo(go);
    }

    @Test
    void everyFiniteDoubleReadsBackTheSame() {
        SplittableRandom random = new SplittableRandom(20261207);
        for (int i = 0; i < 200_000; i++) {
            double value = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble() * 1e9;
            if (!Double.isFinite(value)) {
                continue;
            }
            String text = GoFloat.format(value);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(value);
            assertThat(text).as("no Java notation").doesNotContain("E").doesNotEndWith(".0");
        }
    }

    @Test
    void notANumberAndTheInfinitiesHaveNoJsonForm() {
        for (double value : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThat(GoFloat.isWritable(value)).isFalse();
            assertThatThrownBy(() -> GoFloat.format(value)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(value + " has no JSON form");
        }
    }
}
