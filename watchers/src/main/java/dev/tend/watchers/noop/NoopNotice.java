package dev.tend.watchers.noop;

import dev.tend.machine.spi.WatcherContext;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The line a watcher logs in noop mode instead of acting: {@code noop: would <action> (machine <m> watcher <w>)}, at
 * INFO on the watcher's logger.
 */
public final class NoopNotice {

    /** Words a shell reads back as they are: no quoting needed. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private NoopNotice() {
    }

    /** Logs that the watcher would have done {@code action} (e.g. {@code run /bin/true}). */
    public static void wouldDo(WatcherContext context, String action) {
        context.logger().info("noop: would {} (machine {} watcher {})", action, context.machineName(),
                context.definition().name());
    }

    /** Logs that the watcher would have run {@code command}, its words as a shell would read them back. */
    public static void wouldRun(WatcherContext context, List<String> command) {
        wouldDo(context, "run " + commandLine(command));
    }

    /** The words joined by spaces, each quoted with single quotes unless it is plain. */
    public static String commandLine(List<String> words) {
        return words.stream().map(NoopNotice::shellWord).collect(Collectors.joining(" "));
    }

    private static String shellWord(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
