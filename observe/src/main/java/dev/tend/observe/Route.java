package dev.tend.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * One route of an {@link ObserveListener}: the JDK matches contexts by prefix; this answers 404 for a path the route
 * does not serve (any other than its own unless it ends with {@code /}), 500 when the handler throws, and closes the
 * exchange in every case but one: a {@link StreamingHandler} that returned normally keeps it. It first tells the
 * listener's {@link HeadDeadline} that the request head is read.
 */
final class Route implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Route.class);

    private final String path;
    private final boolean prefix;
    private final HttpHandler handler;
    private final HeadDeadline deadline;

    Route(String path, HttpHandler handler, HeadDeadline deadline) {
        this.path = path;
        this.prefix = path.endsWith("/");
        this.handler = handler;
        this.deadline = deadline;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        deadline.headRead();
        boolean kept = false;
        try {
            String requested = exchange.getRequestURI().getPath();
            if (!prefix && !path.equals(requested)) {
                Responses.text(exchange, 404, "not found: " + requested + "\n");
                return;
            }
            try {
                handler.handle(exchange);
                // a streaming handler that returned normally closes the exchange itself
                kept = handler instanceof StreamingHandler;
            } catch (IOException e) {
                LOG.debug("{} {}: {}", exchange.getRequestMethod(), requested, e.toString());
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), requested, e.toString(), e);
                if (exchange.getResponseCode() < 0) {
                    Responses.text(exchange, 500, "internal error\n");
                }
            }
        } finally {
            if (!kept) {
                exchange.close();
            }
        }
    }
}
