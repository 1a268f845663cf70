package dev.tend.units;

import dev.tend.kv.InvalidInputException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class DurationsPropertiesTest {

    @Property
    void formatThenParseIsTheIdentity(@ForAll long nanos) {
        Duration d = Duration.ofNanos(nanos);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }

    @Property
    void partsAddUp(@ForAll @IntRange(min = 0, max = 1000) int w, @ForAll @IntRange(min = 0, max = 1000) int d,
                    @ForAll @IntRange(min = 0, max = 1000) int h, @ForAll @IntRange(min = 0, max = 100_000) int m,
                    @ForAll @IntRange(min = 0, max = 100_000) int ms) {
        Duration expected = Duration.ofDays(7L * w + d).plusHours(h).plusMinutes(m).plusMillis(ms);
        assertThat(Durations.parse(w + "w" + d + "d" + h + "h" + m + "m" + ms + "ms")).isEqualTo(expected);
    }

    @Property
    void bareNumbersOtherThanZeroAreAlwaysRefused(@ForAll @LongRange(min = 1) long n) {
        Throwable t = catchThrowable(() -> Durations.parse(Long.toString(n)));
        assertThat(t).isInstanceOf(InvalidInputException.class).hasMessageEndingWith("add a unit, e.g. " + n + "s");
    }

    @Property
    void anyStringEitherParsesOrFailsWithAOneLineMessage(@ForAll String text) {
        Throwable t = catchThrowable(() -> Durations.parse(text));
        if (t != null) {
            assertThat(t).isInstanceOf(InvalidInputException.class);
            assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("\r");
        }
    }
}
