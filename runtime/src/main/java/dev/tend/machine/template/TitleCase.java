package dev.tend.machine.template;

/**
 * Title case as the reference's {@code cases.Title(language.AmericanEnglish)} does it: the first cased letter of each
 * word is upper-cased and the word's other letters lower-cased ({@code "hELLO wORLD"} becomes {@code "Hello World"}).
 * Words break at spaces and punctuation, but not at an apostrophe, dot or colon between letters ({@code "don't"},
 * {@code "example.com"}), nor at digits or underscores.
 */
final class TitleCase {

    private static final String MID_WORD = "'.:\u2019\u2018\u00b7";

    private TitleCase() {
    }

    static String of(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inWord = false;
        boolean previousWasMid = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean mid = MID_WORD.indexOf(cp) >= 0;
            if (previousWasMid && mid) {
                inWord = false; // two in a row ("a..b") do end the word
            }
            if (isCased(cp)) {
                out.appendCodePoint(inWord ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
                inWord = true;
            } else {
                out.appendCodePoint(cp);
                if (!mid && !Character.isLetterOrDigit(cp) && cp != '_' && !isMark(cp)) {
                    inWord = false;
                }
            }
            previousWasMid = mid;
        }
        return out.toString();
    }

    private static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
