package dev.tend.machine.input;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Plain sentences for SnakeYAML's commonest syntax errors, which its own words ({@code expected <block end>, but found
 * '<block mapping start>'}) explain only to those who know its parser: a line indented more or less than the lines
 * around it, a {@code ': '} inside a value, a key without its {@code ':'}, a tab in the indentation, a quote never
 * closed. Each is a {@link Hint}: the mark it is about (its line and column) and the sentence. The lines are read from
 * the text the marks carry ({@link TextStreamReader} gives every mark the whole text).
 */
final class YamlSyntaxHints {

    /** What is wrong, at a 0-based line and column. */
    record Hint(int line, int column, String sentence) {
        Hint(Mark mark, String sentence) {
            this(mark.getLine(), mark.getColumn(), sentence);
        }
    }

    private static final String LINE_UP = "; keys at the same level must line up";
    private static final String INDENTED_MORE = "this line is indented more";

    private YamlSyntaxHints() {
    }

    /** The hint for {@code e}, or null when it is not one of the errors explained here. */
    static Hint of(MarkedYAMLException e) {
        String problem = YamlErrors.firstLine(e.getProblem());
        String context = YamlErrors.firstLine(e.getContext());
        Mark at = e.getProblemMark();
        Mark start = e.getContextMark();
        if (at == null) {
            return null;
        }
        if (problem.contains("'\\t(TAB)'") || problem.contains("found character '\t'")) {
            return new Hint(at, "a tab is used to indent this line; YAML indents with spaces only");
        }
        if (context.startsWith("while scanning a quoted scalar") && problem.contains("end of stream")
                && start != null) {
            String quote = String.valueOf(Character.toChars(charAt(start, start.getIndex())));
            return new Hint(start, "the value quoted with " + quote + " here is never closed; add the closing "
                    + quote);
        }
        if (at.getBuffer() == null) {
            return null;
        }
        Text text = new Text(at.getBuffer());
        if (problem.startsWith("expected <block end>")) {
            return new Hint(at, blockEnd(text, at, start));
        }
        if (problem.startsWith("mapping values are not allowed")) {
            String sentence = mappingValue(text, at);
            return sentence.startsWith(INDENTED_MORE)
                    ? new Hint(at.getLine(), text.indent(at.getLine()), sentence) : new Hint(at, sentence);
        }
        if (context.startsWith("while scanning a simple key") && problem.startsWith("could not find expected ':'")
                && start != null) {
            String words = text.rest(start.getLine(), start.getColumn());
            return new Hint(start, "\"" + words + "\" is not followed by ':'; write a key and its value as "
                    + "key: value");
        }
        return null;
    }

    /** A line that neither continues the block it is in nor lines up with one that encloses it. */
    private static String blockEnd(Text text, Mark at, Mark start) {
        int line = at.getLine();
        int indent = text.indent(line);
        int above = text.contentLineAbove(line);
        if (above < 0) {
            return "this line does not line up with the lines above it" + LINE_UP;
        }
        int aboveIndent = text.indent(above);
        if (indent > aboveIndent) {
            return "this line is indented more than line " + (above + 1) + " above it (" + spaces(indent) + " against "
                    + aboveIndent + "), which already has its value" + LINE_UP;
        }
        if (indent < aboveIndent && start != null && start.getLine() < line) {
            int blockIndent = start.getColumn();
            if (indent > blockIndent) {
                return "this line is indented by " + spaces(indent) + ": less than line " + (above + 1) + " above it ("
                        + aboveIndent + ") but more than line " + (start.getLine() + 1) + " (" + blockIndent
                        + "), so it belongs to neither" + LINE_UP;
            }
        }
        if (start != null && start.getLine() < line) {
            return "this line does not continue the block that starts on line " + (start.getLine() + 1)
                    + " (at column " + (start.getColumn() + 1) + ")" + LINE_UP;
        }
        return "this line does not line up with the lines above it" + LINE_UP;
    }

    /** A {@code ':'} where no key can start: inside a value, or on a line YAML reads as the value of the one above. */
    private static String mappingValue(Text text, Mark at) {
        int line = at.getLine();
        String before = text.line(line).substring(0, Math.min(at.getColumn(), text.line(line).length()));
        if (before.contains(": ") || before.strip().startsWith("- ") && before.contains(":")) {
            return "this value contains ': ', which YAML reads as the start of another key; put the value in quotes";
        }
        int above = text.contentLineAbove(line);
        if (above >= 0 && text.indent(line) > text.indent(above)) {
            return INDENTED_MORE + " than line " + (above + 1) + " above it (" + spaces(text.indent(line))
                    + " against " + text.indent(above) + "), so YAML reads it as the rest of that line's value"
                    + LINE_UP;
        }
        return "a key cannot start here; put a value that contains ': ' in quotes" + LINE_UP;
    }

    private static String spaces(int n) {
        return n + (n == 1 ? " space" : " spaces");
    }

    private static int charAt(Mark mark, int index) {
        int[] buffer = mark.getBuffer();
        return buffer != null && index >= 0 && index < buffer.length ? buffer[index] : '"';
    }

    /** The lines of the text the marks carry (code points; line breaks as the reader's: LF, CR LF, CR). */
    private static final class Text {
        private final int[] codePoints;

        Text(int[] codePoints) {
            this.codePoints = codePoints;
        }

        /** Line {@code n} (0-based) without its line break; empty past the end. */
        String line(int n) {
            int i = 0;
            int line = 0;
            while (line < n && i < codePoints.length) {
                int c = codePoints[i++];
                if (c == '\n' || c == '\r' && (i >= codePoints.length || codePoints[i] != '\n')) {
                    line++;
                }
            }
            StringBuilder s = new StringBuilder();
            while (i < codePoints.length && codePoints[i] != '\n' && codePoints[i] != '\r') {
                s.appendCodePoint(codePoints[i++]);
            }
            return s.toString();
        }

        /** The spaces at the start of line {@code n}. */
        int indent(int n) {
            String s = line(n);
            int i = 0;
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            return i;
        }

        /** The nearest line above {@code n} with more than blanks and a comment, or -1. */
        int contentLineAbove(int n) {
            for (int l = n - 1; l >= 0; l--) {
                String s = line(l).strip();
                if (!s.isEmpty() && !s.startsWith("#")) {
                    return l;
                }
            }
            return -1;
        }

        /** Line {@code n} from {@code column} on, stripped and cut to 40 characters. */
        String rest(int n, int column) {
            String s = line(n);
            s = column < s.length() ? s.substring(column).strip() : "";
            return s.length() > 40 ? s.substring(0, 37) + "..." : s;
        }
    }
}
