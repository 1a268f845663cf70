package dev.tend.observe.page;

import java.util.Locale;

/**
 * Draws a {@link GraphPicture} as inline SVG: each state a rounded box carrying {@code data-state} (the page's script
 * moves the {@code current} class between them), the initial state with a double border, each transition a line with
 * an arrow head and its event name. Every name is escaped.
 */
final class SvgGraph {

    private SvgGraph() {
    }

    static String svg(GraphPicture p, String current, String title) {
        StringBuilder b = new StringBuilder(1024);
        b.append("<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"").append(n(p.width()))
                .append("\" height=\"").append(n(p.height())).append("\" viewBox=\"0 0 ").append(n(p.width()))
                .append(' ').append(n(p.height())).append("\">");
        b.append("<title>").append(Html.text(title)).append("</title>");
        b.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
                + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\"/></marker></defs>");
        for (GraphPicture.Arrow a : p.transitions()) {
            b.append("<g class=\"transition\" data-event=\"").append(Html.text(a.event()))
                    .append("\"><polyline points=\"");
            for (GraphPicture.Point pt : a.points()) {
                b.append(n(pt.x())).append(',').append(n(pt.y())).append(' ');
            }
            b.setLength(b.length() - 1);
            b.append("\" marker-end=\"url(#arrow)\"/><text x=\"").append(n(a.labelX())).append("\" y=\"")
                    .append(n(a.labelY() + GraphLayout.FONT_SIZE)).append("\">").append(Html.text(cut(a.event())))
                    .append("</text></g>");
        }
        for (GraphPicture.Box s : p.states()) {
            b.append("<g class=\"state").append(s.state().equals(current) ? " current" : "")
                    .append(s.initial() ? " initial" : "").append("\" data-state=\"").append(Html.text(s.state()))
                    .append("\"><rect x=\"").append(n(s.x())).append("\" y=\"").append(n(s.y())).append("\" width=\"")
                    .append(n(s.width())).append("\" height=\"").append(n(s.height())).append("\" rx=\"6\"/>");
            if (s.initial()) {
                b.append("<rect class=\"inner\" x=\"").append(n(s.x() + 3)).append("\" y=\"").append(n(s.y() + 3))
                        .append("\" width=\"").append(n(s.width() - 6)).append("\" height=\"").append(n(s.height() - 6))
                        .append("\" rx=\"4\"/>");
            }
            b.append("<text x=\"").append(n(s.x() + s.width() / 2)).append("\" y=\"")
                    .append(n(s.y() + s.height() / 2 + GraphLayout.FONT_SIZE / 3)).append("\" text-anchor=\"middle\">")
                    .append(Html.text(cut(s.state()))).append("</text></g>");
        }
        return b.append("</svg>").toString();
    }

    /** {@code text} cut to {@link GraphLayout#MAX_CHARS} code points, an ellipsis marking the cut. */
    static String cut(String text) {
        if (text.codePointCount(0, text.length()) <= GraphLayout.MAX_CHARS) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, GraphLayout.MAX_CHARS - 1)) + "\u2026";
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
