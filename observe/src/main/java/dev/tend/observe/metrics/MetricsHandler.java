package dev.tend.observe.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tend.observe.Responses;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code GET /metrics}: the registry in Prometheus's text format (0.0.4), streamed to the client in chunks rather than
 * written to memory first: in the agent's small heap a buffer of an exposition of thousands of series goes straight to
 * the old generation and brings full collections (docs/benchmarks.md, bench/listen).
 *
 * <p>The families with a series per machine ({@link TextFamily}) write their own text from bytes kept per series; the
 * rest (the JVM's, the histogram, the store's) go through the registry's scrape, which leaves the text families out,
 * and the client's text writer. The families come out in name order, as the registry orders them, so the exposition
 * is the one the client's writer makes of the whole registry.
 */
public final class MetricsHandler implements HttpHandler {

    private final PrometheusRegistry registry;
    private final TextFamily[] families;
    private final Predicate<String> written;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** The registry, all written by the client's text writer. */
    public MetricsHandler(PrometheusRegistry registry) {
        this(registry, List.of());
    }

    /** The registry, {@code families} (registered in it) written from their own bytes. */
    MetricsHandler(PrometheusRegistry registry, List<TextFamily> families) {
        this.registry = registry;
        this.families = families.stream().sorted(Comparator.comparing(TextFamily::prometheusName))
                .toArray(TextFamily[]::new);
        Set<String> names = families.stream().map(TextFamily::prometheusName).collect(Collectors.toUnmodifiableSet());
        if (names.size() != families.size()) {
            throw new IllegalArgumentException("two text families of one name: " + families);
        }
        this.written = name -> !names.contains(name);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!Responses.readOnly(exchange)) {
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if ("HEAD".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, 0); // chunked
        try (OutputStream out = exchange.getResponseBody()) {
            write(out);
        }
    }

    /** Writes the exposition to {@code out}. */
    void write(OutputStream out) throws IOException {
        MetricSnapshots rest = families.length == 0 ? registry.scrape() : registry.scrape(written);
        TextOut text = new TextOut(out);
        List<MetricSnapshot> run = new ArrayList<>();
        int next = 0;
        for (MetricSnapshot s : rest) {
            String name = s.getMetadata().getPrometheusName();
            while (next < families.length && families[next].prometheusName().compareTo(name) < 0) {
                writeClient(run, text, out);
                families[next++].writeText(text);
            }
            run.add(s);
        }
        writeClient(run, text, out);
        while (next < families.length) {
            families[next++].writeText(text);
        }
        text.flushBuffer();
    }

    /** Writes {@code run} through the client's writer after what {@code text} holds, and empties it. */
    private void writeClient(List<MetricSnapshot> run, TextOut text, OutputStream out) throws IOException {
        if (run.isEmpty()) {
            return;
        }
        text.flushBuffer();
        writer.write(out, new MetricSnapshots(run));
        run.clear();
    }
}
