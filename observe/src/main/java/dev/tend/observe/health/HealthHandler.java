package dev.tend.observe.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tend.observe.Responses;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /healthz}: 200 when every check passes, else 503; the body is JSON, e.g.
 * {@code {"status":"unhealthy","reason":"machines: failed to load: web (...)","checks":{"store":{"ok":true},
 * "machines":{"ok":false,"reason":"failed to load: web (...)"}}}}: {@code reason} joins the failed checks'
 * reasons, each after its check's name, with {@code "; "}.
 */
public final class HealthHandler implements HttpHandler {

    private static final JsonFactory JSON = new JsonFactory();

    private final List<HealthCheck> checks;

    public HealthHandler(List<HealthCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!Responses.readOnly(exchange)) {
            return;
        }
        Report r = report();
        Responses.send(exchange, r.healthy() ? 200 : 503, "application/json", r.json());
    }

    /** Runs every check now. */
    public Report report() {
        List<String> reasons = new ArrayList<>();
        List<Optional<String>> results = new ArrayList<>();
        for (HealthCheck c : checks) {
            Optional<String> p = c.run();
            results.add(p);
            p.ifPresent(why -> reasons.add(c.name() + ": " + why));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", reasons.isEmpty() ? "ok" : "unhealthy");
            if (!reasons.isEmpty()) {
                g.writeStringField("reason", String.join("; ", reasons));
            }
            g.writeObjectFieldStart("checks");
            for (int i = 0; i < checks.size(); i++) {
                g.writeObjectFieldStart(checks.get(i).name());
                g.writeBooleanField("ok", results.get(i).isEmpty());
                if (results.get(i).isPresent()) {
                    g.writeStringField("reason", results.get(i).get());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        out.write('\n');
        return new Report(reasons.isEmpty(), out.toByteArray());
    }

    /**
     * One run of the checks.
     *
     * @param healthy every check passed
     * @param json    the answer's body
     */
    public record Report(boolean healthy, byte[] json) {
    }
}
