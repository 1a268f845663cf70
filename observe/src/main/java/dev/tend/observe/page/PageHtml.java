package dev.tend.observe.page;

import java.util.List;

/**
 * The whole status page: a header with the node's identity and the live indicator, an overview table (machine, state,
 * time in state) and each machine's section. Its script and style come from the jar ({@code assets/}); nothing else is
 * loaded.
 */
final class PageHtml {

    /** One machine's overview row and rendered section. */
    record Entry(String name, String state, String since, String age, String section) {
    }

    private PageHtml() {
    }

    static String html(String identity, List<Entry> machines) {
        StringBuilder b = new StringBuilder(8192);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>Tend: ").append(Html.text(identity)).append("</title>"
                + "<link rel=\"stylesheet\" href=\"assets/status.css\">"
                + "<script src=\"assets/status.js\" defer></script></head>"
                + "<body data-live=\"connecting\"><header class=\"top\"><h1>Tend on ").append(Html.text(identity))
                .append("</h1><span id=\"count\">").append(machines.size())
                .append(machines.size() == 1 ? " machine" : " machines")
                .append("</span><span id=\"live\" class=\"live\">connecting\u2026</span></header><main>");
        if (machines.isEmpty()) {
            b.append("<p class=\"none\">No machines are loaded.</p>");
        } else {
            b.append("<table class=\"overview\"><thead><tr><th>Machine</th><th>State</th><th>In state for</th></tr>"
                    + "</thead><tbody>");
            for (Entry e : machines) {
                b.append("<tr data-machine=\"").append(Html.text(e.name())).append("\"><td>")
                        .append(Html.text(e.name())).append("</td><td class=\"current-state\">")
                        .append(Html.text(e.state())).append("</td><td");
                if (e.since() != null) {
                    b.append(" data-since=\"").append(Html.text(e.since())).append("\">").append(Html.text(e.age()));
                } else {
                    b.append(">not started");
                }
                b.append("</td></tr>");
            }
            b.append("</tbody></table>");
            machines.forEach(e -> b.append(e.section()));
        }
        return b.append("</main></body></html>").toString();
    }
}
