package dev.tend.machine.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A run keeps the end of its output, bounded by lines and characters. */
class WatcherRunTest {

    private static final Instant T = Instant.parse("2026-12-07T13:40:01Z");

    @Test
    void keepsTheLastTwentyLines() {
        String output = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"))
                + "\n\n";
        WatcherRun run = new WatcherRun("error", 3, T, Duration.ofMillis(1500), output);
        assertThat(run.outputTail()).startsWith("line 11\n").endsWith("line 30").hasLineCount(20);
    }

    @Test
    void keepsTheLastCharactersOfALongLineWithoutSplittingASurrogatePair() {
        String output = "\ud83d\ude00".repeat(WatcherRun.TAIL_CHARS); // twice as many chars as kept
        String tail = WatcherRun.tail("x" + output);
        assertThat(tail.length()).isLessThanOrEqualTo(WatcherRun.TAIL_CHARS);
        assertThat(Character.isLowSurrogate(tail.charAt(0))).isFalse();
        assertThat(tail).isEqualTo("\ud83d\ude00".repeat(WatcherRun.TAIL_CHARS / 2));
    }

    @Test
    void shortOutputIsKeptAsItIsAndNoneIsEmpty() {
        assertThat(WatcherRun.tail("ok\n")).isEqualTo("ok");
        assertThat(new WatcherRun("success", null, T, null, null).outputTail()).isEmpty();
        assertThat(new WatcherRun("success", 0, T, Duration.ofSeconds(-1), "").duration()).isZero();
    }
}
