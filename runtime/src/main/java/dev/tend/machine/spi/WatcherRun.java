package dev.tend.machine.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One run of a watcher that runs something (a command, a check, a download), as {@code tend machine info} shows it
 * until that watcher's next run: how it ended, the command's exit code when there was one, when it started, how long
 * it took, and the end of its output. A watcher reports it through {@link WatcherContext#recordRun}.
 *
 * @param outcome    the watcher's word for how it ended ({@code success}, {@code error}, {@code timeout}, {@code OK},
 *                   {@code CRITICAL}, ...)
 * @param exitCode   the command's exit code, or {@code null} when nothing exited (no command, or it did not start)
 * @param started    when the run started
 * @param duration   how long it took (never negative)
 * @param outputTail the end of its output: at most {@value #TAIL_LINES} lines and {@value #TAIL_CHARS} characters,
 *                   cut at the front (empty when there was none)
 */
public record WatcherRun(String outcome, Integer exitCode, Instant started, Duration duration, String outputTail) {

    /** The most lines of output a run keeps. */
    public static final int TAIL_LINES = 20;
    /** The most characters of output a run keeps. */
    public static final int TAIL_CHARS = 4096;

    public WatcherRun {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(started, "started");
        duration = duration == null || duration.isNegative() ? Duration.ZERO : duration;
        outputTail = tail(outputTail);
    }

    /**
     * The end of {@code output}: its last {@value #TAIL_LINES} lines, then its last {@value #TAIL_CHARS} characters
     * (never splitting a surrogate pair), without trailing blank lines.
     */
    public static String tail(String output) {
        if (output == null || output.isEmpty()) {
            return "";
        }
        String s = output.stripTrailing();
        int end = s.length();
        int lines = 0;
        int start = 0;
        for (int i = end - 1; i >= 0; i--) {
            if (s.charAt(i) == '\n' && ++lines == TAIL_LINES) {
                start = i + 1;
                break;
            }
        }
        if (end - start > TAIL_CHARS) {
            start = end - TAIL_CHARS;
            if (Character.isLowSurrogate(s.charAt(start))) {
                start++;
            }
        }
        return s.substring(start);
    }
}
