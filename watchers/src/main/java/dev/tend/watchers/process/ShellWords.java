package dev.tend.watchers.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words the way the reference does (google/shlex), with no shell: whitespace (space, tab,
 * CR, LF) separates words; single quotes keep everything literally; double quotes keep everything but let a backslash
 * escape any character; outside quotes a backslash escapes the next character; a {@code #} at the start of a word
 * begins a comment that runs to the end of the line. Quoted parts join the word around them ({@code a"b c"d} is
 * {@code ab cd}) and {@code ''} is an empty word. Nothing is expanded: no variables, globs, pipes or redirections.
 *
 * <p>No Java library reads these rules: Commons Exec's {@code CommandLine.parse} and Ant's
 * {@code Commandline.translateCommandline} know quotes but not backslash escapes or comments, Commons Text's
 * {@code StringTokenizer} knows neither. So this is a small state machine, tested against a table.
 */
public final class ShellWords {

    private enum State { BETWEEN, WORD, ESCAPED, DOUBLE, DOUBLE_ESCAPED, SINGLE, COMMENT }

    private ShellWords() {
    }

    /**
     * @return the words, possibly none (blank text or only a comment)
     * @throws SyntaxException for an unterminated quote or a trailing backslash
     */
    public static List<String> split(String text) throws SyntaxException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        State state = State.BETWEEN;
        int quoteStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (state) {
                case BETWEEN -> {
                    if (isSpace(c)) {
                        continue;
                    }
                    if (c == '#') {
                        state = State.COMMENT;
                        continue;
                    }
                    state = State.WORD;
                    i--; // read it again as the first character of a word
                }
                case WORD -> {
                    if (isSpace(c)) {
                        words.add(word.toString());
                        word.setLength(0);
                        state = State.BETWEEN;
                    } else if (c == '\\') {
                        state = State.ESCAPED;
                    } else if (c == '"') {
                        state = State.DOUBLE;
                        quoteStart = i;
                    } else if (c == '\'') {
                        state = State.SINGLE;
                        quoteStart = i;
                    } else {
                        word.append(c); // '#' inside a word is an ordinary character
                    }
                }
                case ESCAPED -> {
                    word.append(c);
                    state = State.WORD;
                }
                case DOUBLE -> {
                    if (c == '"') {
                        state = State.WORD;
                    } else if (c == '\\') {
                        state = State.DOUBLE_ESCAPED;
                    } else {
                        word.append(c);
                    }
                }
                case DOUBLE_ESCAPED -> {
                    word.append(c);
                    state = State.DOUBLE;
                }
                case SINGLE -> {
                    if (c == '\'') {
                        state = State.WORD;
                    } else {
                        word.append(c);
                    }
                }
                case COMMENT -> {
                    if (c == '\n') {
                        state = State.BETWEEN;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        switch (state) {
            case WORD -> words.add(word.toString());
            case ESCAPED, DOUBLE_ESCAPED -> throw new SyntaxException("it ends with a backslash that escapes nothing");
            case DOUBLE -> throw new SyntaxException("the double quote at column " + (quoteStart + 1) + " is not closed");
            case SINGLE -> throw new SyntaxException("the single quote at column " + (quoteStart + 1) + " is not closed");
            default -> {
                // BETWEEN or COMMENT: nothing pending
            }
        }
        return words;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** A command line that cannot be split; the message says why, in one line. */
    public static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message);
        }
    }
}
