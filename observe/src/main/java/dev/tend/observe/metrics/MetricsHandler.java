package dev.tend.observe.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tend.observe.Responses;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /metrics}: the registry in Prometheus's text format (0.0.4), streamed to the client in chunks rather than
 * written to memory first: in the agent's small heap a buffer of an exposition of thousands of series goes straight to
 * the old generation and brings full collections (docs/benchmarks.md, bench/listen).
 */
public final class MetricsHandler implements HttpHandler {

    private final PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public MetricsHandler(PrometheusRegistry registry) {
        this.registry = registry;
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
        writer.write(out, registry.scrape());
    }
}
