package dev.tend.dist;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one man page in the AsciiDoc that picocli's {@code ManPageGenerator} writes into man(7) troff, which
 * {@code man} reads. It knows the constructs that generator writes and renders them as Asciidoctor's manpage backend
 * would: the header ({@code :manmanual:}, {@code = name(1)}), {@code //} comments, {@code ==} sections, paragraphs
 * (lines joined and filled), definition lists ({@code term::} with its description indented below), {@code xref:}
 * links (their text), constrained {@code *strong*} and {@code _emphasis_}, and, for text of the commands' own,
 * indented or {@code ----}/{@code ....}-delimited literal blocks, {@code +} line breaks and {@code [%hardbreaks]}; other block
 * attribute lines are left out. Everything else is text,
 * escaped so troff prints it as it is.
 */
public final class ManPageTroff {

    private static final Pattern TITLE = Pattern.compile("^= (\\S+)\\((\\d)\\)\\s*$");
    private static final Pattern ATTRIBUTE = Pattern.compile("^:([\\w-]+):\\s*(.*)$");
    private static final Pattern SECTION = Pattern.compile("^={2,}\\s+(.*?)\\s*:?\\s*$");
    private static final Pattern TERM = Pattern.compile("^(\\S.*?)::\\s*$");
    private static final Pattern BLOCK_ATTRIBUTES = Pattern.compile("^\\[[^\\]]*\\]\\s*$");
    private static final Pattern XREF = Pattern.compile("xref:[^\\[\\s]+\\[([^\\]]*)\\]");
    private static final Pattern STRONG = Pattern.compile("(?<![\\w*])\\*(\\S|\\S.*?\\S)\\*(?![\\w*])");
    private static final Pattern EMPHASIS = Pattern.compile("(?<![\\w_])_(\\S|\\S.*?\\S)_(?![\\w_])");

    private ManPageTroff() {
    }

    /**
     * The troff of {@code asciidoc}.
     *
     * @param asciidoc the generator's page
     * @param version  the version the page's footer names, e.g. {@code 0.1.0}
     */
    public static String convert(String asciidoc, String version) {
        List<String> lines = asciidoc.lines().toList();
        StringBuilder out = new StringBuilder();
        String manual = "";
        String section = "";
        boolean hardBreaks = false;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            Matcher m;
            if (line.startsWith("//") || line.isBlank()) {
                i++;
            } else if ((m = ATTRIBUTE.matcher(line)).matches()) {
                if (m.group(1).equals("manmanual")) {
                    manual = m.group(2).trim();
                }
                i++;
            } else if ((m = TITLE.matcher(line)).matches()) {
                out.append(".TH ").append(quoted(m.group(1).toUpperCase(Locale.ROOT))).append(' ')
                        .append(m.group(2)).append(" \"\" ").append(quoted("Tend " + version)).append(' ')
                        .append(quoted(manual)).append('\n');
                out.append(".ad l\n.nh\n"); // left-aligned, no hyphenation: option names stay whole
                i++;
            } else if ((m = SECTION.matcher(line)).matches()) {
                section = m.group(1).toUpperCase(Locale.ROOT);
                out.append(".SH ").append(quoted(section)).append('\n');
                i++;
            } else if (line.equals("----") || line.equals("....")) {
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).equals(line)) {
                    end++;
                }
                literal(out, lines.subList(i + 1, end));
                i = end + 1;
            } else if (Character.isWhitespace(line.charAt(0))) {
                int end = block(lines, i);
                literal(out, lines.subList(i, end));
                hardBreaks = false;
                i = end;
            } else if (BLOCK_ATTRIBUTES.matcher(line).matches()) {
                hardBreaks = line.contains("%hardbreaks");
                i++;
            } else if ((m = TERM.matcher(line)).matches()) {
                out.append(".TP\n").append(inline(m.group(1))).append('\n');
                int end = i + 1;
                List<String> description = new ArrayList<>();
                while (end < lines.size() && !lines.get(end).isEmpty() && !TERM.matcher(lines.get(end)).matches()
                        && !lines.get(end).startsWith("//")) {
                    description.add(lines.get(end));
                    end++;
                }
                paragraph(out, description, false, false);
                i = end;
            } else {
                int end = block(lines, i);
                if (!out.isEmpty() && !out.toString().endsWith(".SH " + quoted(section) + "\n")) {
                    out.append(".PP\n");
                }
                paragraph(out, lines.subList(i, end), section.equals("NAME"), hardBreaks);
                hardBreaks = false;
                i = end;
            }
        }
        return out.toString();
    }

    /** The end of the block that starts at {@code start}: the next blank or comment line. */
    private static int block(List<String> lines, int start) {
        int end = start;
        while (end < lines.size() && !lines.get(end).isBlank() && !lines.get(end).startsWith("//")) {
            end++;
        }
        return end;
    }

    private static void paragraph(StringBuilder out, List<String> lines, boolean name, boolean hardBreaks) {
        for (String raw : lines) {
            String text = raw.strip();
            if (text.isEmpty()) {
                continue;
            }
            boolean plus = text.endsWith(" +") || text.equals("+");
            boolean hardBreak = plus || hardBreaks;
            if (plus) {
                text = text.substring(0, text.length() - 1).strip();
            }
            if (name) {
                // NAME's "tend-kv-put - Stores a value": whatis and apropos read the name before "\-".
                int dash = text.indexOf(" - ");
                if (dash > 0) {
                    out.append(line(escape(text.substring(0, dash)) + " \\- " + inline(text.substring(dash + 3))))
                            .append('\n');
                    name = false;
                    continue;
                }
            }
            if (!text.isEmpty()) {
                out.append(line(inline(text))).append('\n');
            }
            if (hardBreak) {
                out.append(".br\n");
            }
        }
    }

    private static void literal(StringBuilder out, List<String> lines) {
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        out.append(".PP\n.RS 4\n.nf\n");
        for (String l : lines) {
            out.append(line(escape(l.isBlank() ? "" : l.substring(indent)))).append('\n');
        }
        out.append(".fi\n.RE\n");
    }

    /** Text with its links and constrained strong and emphasis as troff fonts; the rest escaped. */
    static String inline(String text) {
        String linked = XREF.matcher(text).replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
        StringBuilder out = new StringBuilder();
        Matcher m = STRONG.matcher(linked);
        int at = 0;
        while (m.find()) {
            out.append(emphasis(linked.substring(at, m.start())));
            out.append("\\fB").append(emphasis(m.group(1))).append("\\fR");
            at = m.end();
        }
        out.append(emphasis(linked.substring(at)));
        return out.toString();
    }

    private static String emphasis(String text) {
        StringBuilder out = new StringBuilder();
        Matcher m = EMPHASIS.matcher(text);
        int at = 0;
        while (m.find()) {
            out.append(escape(text.substring(at, m.start())));
            out.append("\\fI").append(escape(m.group(1))).append("\\fP");
            at = m.end();
        }
        out.append(escape(text.substring(at)));
        return out.toString();
    }

    /** Text troff prints as it is: backslashes and minus signs escaped. */
    static String escape(String text) {
        return text.replace("\\", "\\e").replace("-", "\\-");
    }

    /** A text line troff does not take for a request: one starting with . or ' gets a zero-width guard. */
    private static String line(String text) {
        return text.startsWith(".") || text.startsWith("'") ? "\\&" + text : text;
    }

    private static String quoted(String text) {
        return "\"" + escape(text).replace("\"", "\\(dq") + "\"";
    }
}
