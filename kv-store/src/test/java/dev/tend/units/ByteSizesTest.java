package dev.tend.units;

import dev.tend.kv.InvalidInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ByteSizesTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "0, 0",
            "1, 1",
            "1024, 1024",
            "007, 7",
            "0B, 0",
            "5B, 5",
            "5b, 5",
            "1KB, 1000",
            "1kb, 1000",
            "1kB, 1000",
            "1MB, 1000000",
            "1GB, 1000000000",
            "1TB, 1000000000000",
            "1KiB, 1024",
            "1kib, 1024",
            "1KIB, 1024",
            "10KiB, 10240",
            "1MiB, 1048576",
            "1GiB, 1073741824",
            "1TiB, 1099511627776",
            "10 KiB, 10240",
            "'10\tMB', 10000000",
            "'  1MB  ', 1000000",
            "1.5KiB, 1536",
            "1.5MB, 1500000",
            "0.5KB, 500",
            ".5KB, 500",
            "2.0, 2",
            "9223372036854775807, 9223372036854775807",
            "8388607TiB, 9223370937343148032",
    })
    void parses(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @Test
    void negativeAndUnlimitedAreForTheCallerToHandle() {
        assertThatThrownBy(() -> ByteSizes.parse("-1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid size \"-1\": a size cannot be negative");
        assertThatThrownBy(() -> ByteSizes.parse("unlimited"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid size \"unlimited\": use bytes or a unit, e.g. 1024, 10KiB or 1MB");
    }

    @Test
    void unitsWithoutBGetAHint() {
        assertThatThrownBy(() -> ByteSizes.parse("10K"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid size \"10K\": unknown unit \"K\": use KB (powers of 1000) or KiB (powers of 1024)");
        assertThatThrownBy(() -> ByteSizes.parse("1m"))
                .hasMessageContaining("use MB (powers of 1000) or MiB (powers of 1024)");
    }

    @Test
    void otherUnknownUnits() {
        assertThatThrownBy(() -> ByteSizes.parse("1PB")).hasMessageContaining("the largest units are TB and TiB");
        assertThatThrownBy(() -> ByteSizes.parse("10bytes")).hasMessageContaining("use B or no unit for bytes");
        assertThatThrownBy(() -> ByteSizes.parse("10XB"))
                .hasMessage("invalid size \"10XB\": unknown unit \"XB\"; use B, KB, MB, GB, TB (powers of 1000)"
                        + " or KiB, MiB, GiB, TiB (powers of 1024)");
    }

    @Test
    void fractionsMustComeToWholeBytes() {
        assertThatThrownBy(() -> ByteSizes.parse("1.1B"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid size \"1.1B\": that is 1.1 bytes; a size must be a whole number of bytes");
        assertThatThrownBy(() -> ByteSizes.parse("0.3KiB")).hasMessageContaining("that is 307.2 bytes");
    }

    @Test
    void tooLarge() {
        assertThatThrownBy(() -> ByteSizes.parse("9223372036854775808"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid size \"9223372036854775808\": too large; the limit is 9223372036854775807 bytes");
        assertThatThrownBy(() -> ByteSizes.parse("8388608TiB")).hasMessageContaining("too large");
        assertThatThrownBy(() -> ByteSizes.parse("1" + "0".repeat(100) + "TB")).hasMessageContaining("too large");
    }

    @Test
    void emptyAndNull() {
        assertThatThrownBy(() -> ByteSizes.parse(""))
                .hasMessage("invalid size \"\": it is empty; use bytes or a unit, e.g. 1024, 10KiB or 1MB");
        assertThatThrownBy(() -> ByteSizes.parse(null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("a size is required; use bytes or a unit, e.g. 1024, 10KiB or 1MB");
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "KB", "MiB", "1.", "1..5KB", "1,000", "1_000", "1e3", "+1", "0x10", "1 K B",
            "10KiB10", "\u0661\u0660", "1\nKB", "ten"})
    void rejects(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("invalid size \"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void formatIsPlainBytes() {
        assertThat(ByteSizes.format(0)).isEqualTo("0");
        assertThat(ByteSizes.format(1048576)).isEqualTo("1048576");
    }

    @Property
    void plainNumbersAreBytes(@ForAll @LongRange(min = 0) long n) {
        assertThat(ByteSizes.parse(Long.toString(n))).isEqualTo(n);
        assertThat(ByteSizes.parse(ByteSizes.format(n))).isEqualTo(n);
    }

    @Property
    void binaryAndDecimalUnits(@ForAll @LongRange(min = 0, max = 1_000_000) long n) {
        assertThat(ByteSizes.parse(n + "KiB")).isEqualTo(n * 1024);
        assertThat(ByteSizes.parse(n + " mib")).isEqualTo(n * 1024 * 1024);
        assertThat(ByteSizes.parse(n + "KB")).isEqualTo(n * 1000);
        assertThat(ByteSizes.parse(n + "gb")).isEqualTo(n * 1_000_000_000);
    }

    @Property
    void anyStringEitherParsesOrFailsWithAOneLineMessage(@ForAll String text) {
        Throwable t = catchThrowable(() -> ByteSizes.parse(text));
        if (t != null) {
            assertThat(t).isInstanceOf(InvalidInputException.class);
            assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("\r");
        }
    }
}
