package dev.tend.machine.control;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link InstantText} reads what {@link Instant#toString()} writes as {@link Instant#parse} does, and refuses alike. */
class InstantTextTest {

    @Test
    void readsWhatInstantWritesAsInstantParseDoes() {
        SplittableRandom random = new SplittableRandom(12);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(0, max + 1);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(seconds, nanos).toString();
            assertThat(InstantText.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : List.of("1970-01-01T00:00:00Z", "2000-02-29T12:00:00.5Z", "1900-03-01T00:00:00Z",
                "0000-01-01T00:00:00Z", "2021-07-13T10:38:10Z", "2024-12-31T23:59:59.999999999Z",
                "2021-07-13T10:38:10.1Z", "2021-07-13T10:38:10.12345Z")) {
            assertThat(InstantText.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void anyOtherTextAnswersAsInstantParse() {
        for (String text : List.of("", "yesterday", "2021-07-13 10:38:10Z", "2021-13-01T00:00:00Z",
                "2021-02-29T00:00:00Z", "2021-07-13T24:00:00Z", "2021-07-13T10:60:00Z", "2021-07-13T10:38:10.Z",
                "2021-07-13T10:38:10.1234567890Z", "2021-07-13T10:38:1xZ", "2021-07-13T10:38:10+01:00",
                "2021-07-13T10:38:10", "2021-07-13T10:38Z", "+12021-07-13T10:38:10Z", "2021-07-13T23:59:60Z",
                "2021-07-13t10:38:10z", "-001-07-13T10:38:10Z")) {
            assertThat(outcome(() -> InstantText.parse(text))).as(text).isEqualTo(outcome(() -> Instant.parse(text)));
        }
        assertThatThrownBy(() -> InstantText.parse("yesterday")).isInstanceOf(DateTimeParseException.class);
    }

    /** The instant, or the exception's class and message. */
    private static String outcome(Supplier<Instant> parse) {
        try {
            return parse.get().toString();
        } catch (RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
