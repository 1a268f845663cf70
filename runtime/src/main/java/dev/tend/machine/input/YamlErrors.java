package dev.tend.machine.input;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * SnakeYAML's errors as one line and a line number, for {@code file:line: message}: its own messages span several
 * lines, with an excerpt of the file and a caret. The commonest are said in plain words, with their column
 * ({@link YamlSyntaxHints}).
 */
public final class YamlErrors {

    private YamlErrors() {
    }

    /**
     * The 1-based line of the problem (of its context when it has none), 0 when unknown; for an error explained in
     * plain words ({@link YamlSyntaxHints}), the line the sentence is about (where an unclosed quote opens).
     */
    public static int line(MarkedYAMLException e) {
        YamlSyntaxHints.Hint hint = YamlSyntaxHints.of(e);
        if (hint != null) {
            return hint.line() + 1;
        }
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        return mark == null ? 0 : mark.getLine() + 1;
    }

    /**
     * For the commonest errors, a plain sentence and its column ({@link YamlSyntaxHints}): {@code invalid YAML at
     * column 4: this line is indented by 3 spaces: less than line 7 above it (4) but more than line 5 (2), so it
     * belongs to neither; keys at the same level must line up}. Else SnakeYAML's words, {@code invalid YAML: <context>:
     * <problem>}, e.g. {@code invalid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>}.
     */
    public static String message(MarkedYAMLException e) {
        YamlSyntaxHints.Hint hint = YamlSyntaxHints.of(e);
        if (hint != null) {
            return "invalid YAML at column " + (hint.column() + 1) + ": " + hint.sentence();
        }
        String problem = firstLine(e.getProblem());
        String context = firstLine(e.getContext());
        return "invalid YAML: " + (context.isEmpty() ? problem : context + ": " + problem);
    }

    /** The 1-based line of a character YAML does not allow, in the text it was read from. */
    public static int line(String text, ReaderException e) {
        int line = 1;
        int i = 0;
        for (int cp = 0; i < text.length() && cp < e.getPosition(); cp++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
            i += Character.charCount(text.codePointAt(i));
        }
        return line;
    }

    /** {@code invalid YAML: the character U+0007 is not allowed}. */
    public static String message(ReaderException e) {
        return "invalid YAML: the character U+" + String.format("%04X", e.getCodePoint()) + " is not allowed";
    }

    /** The first line of a message, stripped; empty for none. */
    public static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
