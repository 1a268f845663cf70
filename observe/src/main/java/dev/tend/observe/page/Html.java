package dev.tend.observe.page;

/** Escaping for HTML and SVG text and attribute values: every value the page shows goes through {@link #text}. */
final class Html {

    private Html() {
    }

    /**
     * {@code s} safe in element content and in a double- or single-quoted attribute: {@code & < > " '} as character
     * references, and the control characters XML does not allow as U+FFFD (SVG inline is parsed by the HTML parser,
     * but the same text must also be well-formed XML).
     */
    static String text(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
