package dev.tend.cli.agent;

import dev.tend.cli.command.Closer;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreUrls;
import dev.tend.kv.spi.StatsSource;
import dev.tend.machine.agent.Agent;
import dev.tend.machine.agent.LazyStore;
import dev.tend.machine.control.ControlServer;
import dev.tend.observe.ObserveListener;
import dev.tend.observe.health.HealthCheck;
import dev.tend.observe.health.HealthHandler;
import dev.tend.observe.metrics.AgentMetrics;
import dev.tend.observe.page.StatusPage;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * What {@code tend agent --listen} serves: {@code /metrics} ({@link AgentMetrics}), {@code /healthz}
 * ({@link HealthHandler}: the store reachable, every machine directory loaded, the listener and the control socket
 * up) and the status page ({@link StatusPage}: {@code /}, {@code /machine}, {@code /events}, {@code /assets/}).
 */
final class AgentEndpoints {

    /** How many failed machine directories {@code /healthz} names; the rest are counted. */
    private static final int NAMED_FAILURES = 5;

    private AgentEndpoints() {
    }

    /**
     * Adds the routes to the started {@code listener}; the metrics' and the page's subscriptions to the agent are
     * closed by {@code closer}.
     *
     * @param opened the store once a machine (or a health check) opened it, else null
     */
    static void serve(ObserveListener listener, Agent agent, LazyStore store, Supplier<KvStore> opened,
                      ControlServer control, Closer closer) {
        AgentMetrics metrics = closer.add(new AgentMetrics(agent, agent::failedLoads,
                () -> opened.get() instanceof StatsSource s ? s.stats() : null));
        HealthHandler health = new HealthHandler(List.of(
                new HealthCheck("store", () -> storeProblem(store)),
                new HealthCheck("machines", () -> machinesProblem(agent.failedLoads())),
                new HealthCheck("listener", () -> listener.running() ? Optional.empty()
                        : Optional.of("not serving")),
                new HealthCheck("control_socket", () -> controlProblem(control))));
        listener.route("/metrics", metrics.handler());
        listener.route("/healthz", health);
        // The page hears every transition from the start (since when each machine is in its state).
        StatusPage page = closer.add(new StatusPage(agent, Clock.systemUTC()));
        page.start();
        page.routes(listener);
    }

    /** The store answers a listing of its buckets (opening it when no machine has yet). */
    private static Optional<String> storeProblem(LazyStore store) {
        KvStore s = store.get();
        try {
            s.bucketNames();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("cannot reach " + StoreUrls.redact(s.url()) + ": " + e.getMessage());
        }
    }

    private static Optional<String> machinesProblem(Map<String, List<String>> failed) {
        if (failed.isEmpty()) {
            return Optional.empty();
        }
        StringJoiner names = new StringJoiner(", ");
        int n = 0;
        for (Map.Entry<String, List<String>> e : failed.entrySet()) {
            if (n++ == NAMED_FAILURES) {
                names.add("and " + (failed.size() - NAMED_FAILURES) + " more");
                break;
            }
            names.add(e.getKey() + " (" + (e.getValue().isEmpty() ? "failed" : e.getValue().get(0)) + ")");
        }
        return Optional.of(failed.size() + " failed to load: " + names);
    }

    private static Optional<String> controlProblem(ControlServer control) {
        if (!control.serving()) {
            return Optional.of("not serving " + control.socket());
        }
        if (!Files.exists(control.socket(), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(control.socket() + " was removed");
        }
        return Optional.empty();
    }
}
