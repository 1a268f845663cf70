package dev.tend.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The help command lines ({@code tend}, {@code help [CMD...]} after {@code tend} or any group, {@code --help} or
 * {@code -h} after any command) answered with the text picocli printed for exactly that command line when the build rendered it
 * ({@link HelpTexts}), without building picocli's model of the commands. Served only where the colours are known
 * to be what picocli would choose ({@link HelpColours}) and no {@code picocli.*} system property could change the
 * text; anything else goes to picocli. This class loads no picocli class.
 */
final class HelpFastPath {

    private HelpFastPath() {
    }

    /** True when {@code args} has the shape of a help command line (cheap: no resource read). */
    static boolean looksLikeHelp(String[] args) {
        if (args.length == 0) {
            return true;
        }
        String last = args[args.length - 1];
        if (last.equals("--help") || last.equals("-h")) {
            return true;
        }
        for (String arg : args) {
            if (arg.equals("help")) {
                return true;
            }
        }
        return false;
    }

    /** The command printing the rendered help for {@code args}, or null when picocli must answer. */
    static Callable<Integer> parse(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        if (!looksLikeHelp(args) || picocliProperties()) {
            return null;
        }
        Boolean colours = HelpColours.enabled(env);
        if (colours == null) {
            return null;
        }
        String index = resource(HelpTexts.INDEX);
        if (index == null) {
            return null;
        }
        int start = 0;
        while (start < index.length()) {
            int end = index.indexOf('\n', start);
            if (end < 0) {
                end = index.length();
            }
            Callable<Integer> found = match(index, start, end, args, colours, out, err);
            if (found != null) {
                return found;
            }
            start = end + 1;
        }
        return null;
    }

    /** The entry of the index line {@code [start, end)} when its command line is {@code args}, else null. */
    private static Callable<Integer> match(String index, int start, int end, String[] args, boolean colours,
                                           PrintWriter out, PrintWriter err) {
        String[] fields = index.substring(start, end).split(" ", -1);
        if (fields.length - 4 != args.length) {
            return null;
        }
        for (int i = 0; i < args.length; i++) {
            if (!fields[4 + i].equals(args[i])) {
                return null;
            }
        }
        int status = Integer.parseInt(fields[0]);
        String text = resource(fields[colours ? 3 : 2] + ".txt");
        if (text == null) {
            return null;
        }
        return new Print(fields[1].equals("err") ? err : out, text, status);
    }

    /** True when a system property could change what picocli prints (width, colours, trace). */
    private static boolean picocliProperties() {
        for (Object key : System.getProperties().keySet()) {
            if (key instanceof String name && name.startsWith("picocli.")) {
                return true;
            }
        }
        return false;
    }

    /** A text resource of {@link HelpTexts#FOLDER}, or null when the build did not write it. */
    private static String resource(String name) {
        try (InputStream in = HelpFastPath.class.getResourceAsStream("help/" + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints the text on its stream; a class, not a lambda: no bootstrap. */
    private static final class Print implements Callable<Integer> {
        private final PrintWriter stream;
        private final String text;
        private final int status;

        Print(PrintWriter stream, String text, int status) {
            this.stream = stream;
            this.text = text;
            this.status = status;
        }

        @Override
        public Integer call() {
            stream.print(text);
            stream.flush();
            return status;
        }
    }
}
