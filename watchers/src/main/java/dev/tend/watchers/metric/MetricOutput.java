package dev.tend.watchers.metric;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tend.watchers.perfdata.PerfData;
import dev.tend.watchers.perfdata.PluginOutput;
import dev.tend.watchers.process.MessageQuotes;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A metric command's output, read as the reference reads it. Output whose first non-blank character is <code>{</code>
 * is Choria's format, <code>{"labels": {NAME: STRING...}, "metrics": {NAME: NUMBER...}}</code>, and gets the label
 * {@code format=choria}; anything else is a Nagios plugin's output whose performance data are the metrics (the label
 * {@code format=nagios}; output without performance data gives no metrics and is no error). Keys are matched
 * case-insensitively, other keys are ignored, a {@code null} value counts as empty, and {@code time}, when given, is
 * replaced by the time of the run. Labels from the output may replace {@code format}.
 */
final class MetricOutput {

    /** What the output holds: labels and metrics. */
    record Parsed(Map<String, String> labels, Map<String, Double> metrics) {
    }

    /** Choria's format that cannot be read: one line. */
    static final class BadOutput extends Exception {
        BadOutput(String message) {
            super(message);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private MetricOutput() {
    }

    static Parsed parse(String output) throws BadOutput {
        if (output.strip().startsWith("{")) {
            return choria(output);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (PerfData p : PluginOutput.parse(output).perfData()) {
            metrics.put(p.label(), p.value());
        }
        return new Parsed(Map.of("format", "nagios"), metrics);
    }

    private static Parsed choria(String output) throws BadOutput {
        JsonNode root;
        try {
            root = JSON.readTree(output);
        } catch (JsonProcessingException e) {
            throw new BadOutput("the output is not JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("format", "choria");
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            switch (field.getKey().toLowerCase(Locale.ROOT)) {
                case "labels" -> {
                    if (value.isNull()) {
                        labels.clear();
                        continue;
                    }
                    for (Map.Entry<String, JsonNode> label : fields(value, "labels")) {
                        JsonNode v = label.getValue();
                        if (!v.isTextual() && !v.isNull()) {
                            throw new BadOutput("label " + quote(label.getKey()) + " is a "
                                    + type(v) + ", not a string");
                        }
                        labels.put(label.getKey(), v.isNull() ? "" : v.asText());
                    }
                }
                case "metrics" -> {
                    if (value.isNull()) {
                        metrics.clear();
                        continue;
                    }
                    for (Map.Entry<String, JsonNode> metric : fields(value, "metrics")) {
                        JsonNode v = metric.getValue();
                        if (!v.isNumber() && !v.isNull()) {
                            throw new BadOutput("metric " + quote(metric.getKey()) + " is a " + type(v)
                                    + ", not a number");
                        }
                        metrics.put(metric.getKey(), v.isNull() ? 0.0 : v.asDouble());
                    }
                }
                case "time" -> {
                    if (!value.isNull() && !value.isIntegralNumber()) {
                        throw new BadOutput("time is a " + type(value) + ", not a whole number");
                    }
                }
                default -> {
                    // ignored, as the reference ignores it
                }
            }
        }
        return new Parsed(labels, metrics);
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode node, String what) throws BadOutput {
        if (!node.isObject()) {
            throw new BadOutput(what + " is a " + type(node) + ", not an object");
        }
        return node::fields;
    }

    private static String type(JsonNode node) {
        return node.isIntegralNumber() || node.isFloatingPointNumber() ? "number"
                : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String quote(String s) {
        return MessageQuotes.quote(s);
    }
}
