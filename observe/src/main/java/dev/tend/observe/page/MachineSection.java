package dev.tend.observe.page;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.machine.event.DurationFields;
import dev.tend.units.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * One machine on the page, as HTML, from the {@code MACHINE} object {@code tend machine info --json} prints: name,
 * state, time in state, its state graph, the watchers with every field of their state, and any other field of the
 * object (data, warnings, and whatever newer agents add) shown generically. Every value is escaped.
 */
final class MachineSection {

    /** The object's fields shown in fixed places; every other field goes to the generic list at the end. */
    private static final Set<String> PLACED = Set.of("name", "version", "state", "path", "instance_id", "start_time",
            "available_transitions", "watchers");

    private MachineSection() {
    }

    /**
     * @param machine the {@code MACHINE} object
     * @param since   since when the machine is in its state, or {@code null} when not known
     * @param graph   the state graph as SVG (already escaped), or an empty string
     */
    static String html(ObjectNode machine, Instant since, Instant now, String graph) {
        String name = machine.path("name").asText();
        StringBuilder b = new StringBuilder(2048);
        b.append("<section class=\"machine\" data-machine=\"").append(Html.text(name)).append("\">");
        b.append("<h2>").append(Html.text(name)).append(" <span class=\"version\">")
                .append(Html.text(machine.path("version").asText())).append("</span></h2>");
        b.append("<dl class=\"summary\"><dt>State</dt><dd class=\"current-state\">")
                .append(Html.text(machine.path("state").asText())).append("</dd>");
        b.append("<dt>In state for</dt><dd class=\"since\"");
        if (since != null) {
            b.append(" data-since=\"").append(since).append("\">").append(age(since, now));
        } else {
            b.append(">not started");
        }
        b.append("</dd><dt>Transitions</dt><dd class=\"transitions\">")
                .append(value(machine.path("available_transitions"))).append("</dd>");
        b.append("<dt>Started</dt><dd>").append(value(machine.path("start_time"))).append("</dd>");
        b.append("<dt>Directory</dt><dd>").append(value(machine.path("path"))).append("</dd>");
        b.append("<dt>Instance</dt><dd>").append(value(machine.path("instance_id"))).append("</dd></dl>");
        b.append("<div class=\"graph-box\">").append(graph).append("</div>");
        b.append(watchers(machine.path("watchers")));
        StringBuilder more = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : machine.properties()) {
            if (!PLACED.contains(e.getKey())) {
                more.append("<dt>").append(Html.text(label(e.getKey()))).append("</dt><dd>").append(value(e.getValue()))
                        .append("</dd>");
            }
        }
        if (!more.isEmpty()) {
            b.append("<dl class=\"more\">").append(more).append("</dl>");
        }
        return b.append("</section>").toString();
    }

    private static String watchers(JsonNode watchers) {
        if (watchers.isEmpty()) {
            return "<p class=\"none\">No watchers.</p>";
        }
        StringBuilder b = new StringBuilder("<table class=\"watchers\"><thead><tr><th>Watcher</th><th>Type</th>"
                + "<th>Active</th><th>Last run, next run and state</th></tr></thead><tbody>");
        for (JsonNode w : watchers) {
            b.append("<tr data-watcher=\"").append(Html.text(w.path("name").asText())).append("\"><td>")
                    .append(Html.text(w.path("name").asText())).append("</td><td>")
                    .append(Html.text(w.path("type").asText())).append("</td><td>")
                    .append(w.path("active").asBoolean() ? "yes" : "no").append("</td><td>");
            JsonNode rest = w.deepCopy();
            if (rest instanceof ObjectNode o) {
                o.remove(Set.of("name", "type", "active"));
                // the watcher's own fields first, anything else an agent adds beside them after
                JsonNode state = o.remove("state");
                if (state != null && !state.isEmpty()) {
                    b.append(value(readable(state)));
                }
                if (!o.isEmpty()) {
                    b.append(value(o));
                }
            }
            b.append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /**
     * A watcher's state with its duration fields ({@link DurationFields#NANOSECONDS}: integer nanoseconds in the
     * JSON, as the events write them) as Go durations ({@code 10m0s}), as {@code tend machine info} shows them.
     */
    static JsonNode readable(JsonNode state) {
        if (!(state instanceof ObjectNode o)) {
            return state;
        }
        ObjectNode copy = null;
        for (String field : DurationFields.NANOSECONDS) {
            JsonNode v = o.get(field);
            if (v != null && v.isIntegralNumber() && v.canConvertToLong()) {
                if (copy == null) {
                    copy = o.deepCopy();
                }
                copy.put(field, Durations.format(Duration.ofNanos(v.longValue())));
            }
        }
        return copy == null ? state : copy;
    }

    /** Any JSON value as HTML: objects as definition lists, arrays of scalars joined, others as lists. */
    static String value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "<span class=\"none\">-</span>";
        }
        if (v.isObject()) {
            if (v.isEmpty()) {
                return "<span class=\"none\">none</span>";
            }
            StringBuilder b = new StringBuilder("<dl class=\"fields\">");
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                b.append("<dt>").append(Html.text(e.getKey())).append("</dt><dd>").append(value(e.getValue()))
                        .append("</dd>");
            }
            return b.append("</dl>").toString();
        }
        if (v.isArray()) {
            if (v.isEmpty()) {
                return "<span class=\"none\">none</span>";
            }
            boolean scalars = true;
            for (JsonNode e : v) {
                scalars &= e.isValueNode();
            }
            StringBuilder b = new StringBuilder();
            if (scalars) {
                for (JsonNode e : v) {
                    b.append(b.isEmpty() ? "" : ", ").append(Html.text(e.asText()));
                }
                return b.toString();
            }
            b.append("<ol>");
            for (JsonNode e : v) {
                b.append("<li>").append(value(e)).append("</li>");
            }
            return b.append("</ol>").toString();
        }
        return Html.text(v.asText());
    }

    /** {@code "last_run"} as {@code "Last run"}. */
    static String label(String key) {
        String words = key.replace('_', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The time since {@code since}, in whole seconds, as Go writes durations ({@code 1h2m3s}). */
    static String age(Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        return Durations.format(d.isNegative() ? Duration.ZERO : Duration.ofSeconds(d.getSeconds()));
    }
}
