package dev.tend.observe.page;

import com.sun.net.httpserver.HttpExchange;
import dev.tend.observe.Responses;

import java.io.IOException;
import java.io.InputStream;

/** The page's script and style, {@code status.js} and {@code status.css}, read from the jar beside this class. */
final class PageAssets {

    private PageAssets() {
    }

    /** Answers {@code /assets/status.js} or {@code /assets/status.css}; 404 for any other path. */
    static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String type = switch (path) {
            case "/assets/status.js" -> "text/javascript; charset=utf-8";
            case "/assets/status.css" -> "text/css; charset=utf-8";
            default -> null;
        };
        if (type == null) {
            Responses.text(exchange, 404, "not found\n");
            return;
        }
        byte[] body;
        try (InputStream in = PageAssets.class.getResourceAsStream(path.substring("/assets/".length()))) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks " + path);
            }
            body = in.readAllBytes();
        }
        Responses.send(exchange, 200, type, body);
    }
}
