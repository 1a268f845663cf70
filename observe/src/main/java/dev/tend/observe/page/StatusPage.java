package dev.tend.observe.page;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlProtocol;
import dev.tend.machine.control.RunningMachines;
import dev.tend.observe.ObserveListener;
import dev.tend.observe.Responses;
import dev.tend.observe.StreamingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The live status page, read-only: {@code GET /} the page, {@code GET /machine?name=NAME} one machine's section (what
 * the page's script fetches after an event), {@code GET /events} the server-sent events, {@code GET /assets/status.js}
 * and {@code /assets/status.css} from the jar ({@link PageAssets}). Subscribed to the machines' events from
 * {@link #start} to {@link #close}.
 */
public final class StatusPage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPage.class);

    /**
     * Sent with every answer: the page loads only its own script and style, and the browser runs nothing a machine's
     * value could smuggle in even if it got past the escaping.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final RunningMachines machines;
    private final Clock clock;
    private final GraphCache graphs = new GraphCache(new GraphLayout());
    private final StateTimes times = new StateTimes();
    private final EventClients clients;
    private AutoCloseable subscription;

    public StatusPage(RunningMachines machines, Clock clock) {
        this(machines, clock, Duration.ofSeconds(15));
    }

    StatusPage(RunningMachines machines, Clock clock, Duration ping) {
        this.machines = machines;
        this.clock = clock;
        this.clients = new EventClients(ping);
    }

    /** Subscribes to the machines' events. */
    public synchronized void start() {
        if (subscription == null) {
            subscription = machines.subscribe(event -> {
                times.publish(event);
                clients.publish(event);
            });
        }
    }

    /** Ends the subscription and every event stream. */
    @Override
    public synchronized void close() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.warn("status page: cannot end its events subscription: {}", e.toString());
            }
            subscription = null;
        }
        clients.close();
    }

    /** Adds the page's routes: {@code /}, {@code /machine}, {@code /events} and {@code /assets/}. */
    public ObserveListener.Builder routes(ObserveListener.Builder listener) {
        return listener.route("/", this::page)
                .route("/machine", this::machine)
                .route("/events", (StreamingHandler) this::events)
                .route("/assets/", exchange -> {
                    if (get(exchange)) {
                        PageAssets.serve(exchange);
                    }
                });
    }

    /** Adds the page's routes to a started {@code listener}: {@code /}, {@code /machine}, {@code /events}, {@code /assets/}. */
    public void routes(ObserveListener listener) {
        listener.route("/", this::page)
                .route("/machine", this::machine)
                .route("/events", (StreamingHandler) this::events)
                .route("/assets/", exchange -> {
                    if (get(exchange)) {
                        PageAssets.serve(exchange);
                    }
                });
    }

    /** {@code GET /}: the page. */
    void page(HttpExchange exchange) throws IOException {
        if (!get(exchange)) {
            return;
        }
        if (!exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
            return;
        }
        Instant now = clock.instant();
        List<PageHtml.Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Machine m : machines.machines()) {
            MachineStatus s = m.status();
            names.add(s.name());
            Instant since = times.since(s);
            entries.add(new PageHtml.Entry(s.name(), s.state(), since == null ? null : since.toString(),
                    since == null ? null : MachineSection.age(since, now), section(m, s, since, now)));
        }
        times.retain(names);
        send(exchange, 200, "text/html; charset=utf-8", PageHtml.html(machines.identity(), entries));
    }

    /** {@code GET /machine?name=NAME}: one machine's section. */
    void machine(HttpExchange exchange) throws IOException {
        if (!get(exchange)) {
            return;
        }
        String name = query(exchange, "name");
        Optional<Machine> m = name == null ? Optional.empty() : machines.machine(name);
        if (m.isEmpty()) {
            send(exchange, 404, "text/plain; charset=utf-8", "unknown machine\n");
            return;
        }
        MachineStatus s = m.get().status();
        send(exchange, 200, "text/html; charset=utf-8", section(m.get(), s, times.since(s), clock.instant()));
    }

    /**
     * {@code GET /events}: the event stream, written by a thread of its own (a {@link StreamingHandler}: returns at
     * once, keeping the exchange, which that thread closes).
     */
    void events(HttpExchange exchange) throws IOException {
        boolean kept = false;
        try {
            if (!get(exchange)) {
                return;
            }
            if (!clients.canOpen()) {
                send(exchange, 503, "text/plain; charset=utf-8", "too many event streams are open\n");
                return;
            }
            if (exchange.getRequestMethod().equals("HEAD")) {
                Responses.send(exchange, 200, "text/event-stream; charset=utf-8", new byte[0]);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            kept = clients.open(exchange.getResponseBody(), exchange::close);
        } finally {
            if (!kept) {
                exchange.close();
            }
        }
    }

    private String section(Machine m, MachineStatus s, Instant since, Instant now) {
        ObjectNode json = ControlProtocol.machine(s);
        String graph;
        try {
            graph = SvgGraph.svg(graphs.picture(m.definition()), s.state(), s.name() + " state graph");
        } catch (RuntimeException e) {
            LOG.warn("status page: cannot lay out the graph of machine {}: {}", s.name(), e.toString());
            graph = "<p class=\"none\">The graph could not be laid out.</p>";
        }
        return MachineSection.html(json, since, now, graph);
    }

    private static boolean get(HttpExchange exchange) throws IOException {
        secure(exchange);
        return Responses.readOnly(exchange);
    }

    /** The headers every answer of the page carries. */
    private static void secure(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        Responses.send(exchange, status, type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first value of query parameter {@code key}, decoded, or {@code null} (also when it is not well encoded). */
    static String query(HttpExchange exchange, String key) {
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) {
            return null;
        }
        try {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(key)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
