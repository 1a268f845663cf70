package dev.tend.cli.machine;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.DurationConverter;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.store.ConnectionSettings;
import dev.tend.cli.store.EventsOnNats;
import dev.tend.cli.store.NatsFlags;
import dev.tend.cli.store.StoreLocator;
import dev.tend.kv.nats.NatsConnections;
import dev.tend.machine.control.NatsControlClient;
import dev.tend.machine.control.NatsControlSubjects;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.event.NatsEventSubjects;
import io.nats.client.Connection;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The options that send a {@code tend machine} command to agents over NATS instead of this host's control socket:
 * {@code --fleet} (every agent), {@code --node ID} (one), {@code --nodes GLOB}, {@code --timeout}, and where NATS is
 * ({@code --store}, the NATS flags, {@code --events-prefix}). {@link #open} checks them and connects.
 */
final class FleetTarget {

    /** How long the fleet commands wait for the agents by default. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** Every option name of this mixin (and of the NATS flags), for the fast path, which leaves them to picocli. */
    static final List<String> OPTION_NAMES = List.of("--fleet", "--node", "--nodes", "--timeout", "--store",
            EventsOnNats.PREFIX_OPTION, "--user", "--password", "--token", "--creds", "--tls-ca", "--tls-cert",
            "--tls-key", "--connection-name", "--nats-timeout");

    @Option(names = "--fleet", description = "Ask every agent of the NATS store (their machines, or fire on each that"
            + " runs the machine), not this host's agent.")
    boolean fleet;

    @Option(names = "--node", paramLabel = "ID", description = "Ask the agent whose --identity is ID over NATS.")
    String node;

    @Option(names = "--nodes", paramLabel = "GLOB",
            description = "With --fleet: only the nodes whose identity matches the glob (*, ?, [...], {a,b}).")
    String nodes;

    @Option(names = "--timeout", paramLabel = "DUR", converter = DurationConverter.class,
            description = "With --fleet or --node: how long to wait for the agents; a node that has not answered"
                    + " by then is reported. Default: 2s.")
    Duration timeout;

    @Option(names = "--store", paramLabel = "URL",
            description = "With --fleet or --node: the NATS servers, nats://host:port[,host:port...]. Default: "
                    + "TEND_STORE, the config file's store:.")
    String store;

    @Mixin
    NatsFlags natsSettings = NatsFlags.none();

    @Option(names = EventsOnNats.PREFIX_OPTION, paramLabel = "PREFIX",
            description = "With --fleet or --node: the agents' --events-prefix, under which they answer requests. "
                    + "Default: TEND_EVENTS_PREFIX, the config file's events_prefix:, "
                    + NatsEventSubjects.DEFAULT_PREFIX + ".")
    String eventsPrefix;

    /** Whether the command goes over NATS. */
    boolean remote() {
        return fleet || node != null;
    }

    /**
     * Checks the options against each other and the command's: usage errors name what is wrong.
     *
     * @param socket     whether {@code --socket} was given
     * @param fleetUsed  whether the command accepts {@code --fleet}
     */
    void check(boolean socket, boolean fleetUsed) {
        if (fleet && !fleetUsed) {
            throw usage("--fleet is not used by this command: give --node ID");
        }
        if (fleet && node != null) {
            throw usage("--fleet and --node are alternatives: every agent, or the one named");
        }
        if (node != null && node.isBlank()) {
            throw usage("--node needs a node identity");
        }
        if (remote() && socket) {
            throw usage("--socket asks this host's agent, --fleet and --node agents over NATS: give one or the other");
        }
        if (nodes != null && !fleet) {
            throw usage("--nodes selects nodes for --fleet" + (node != null ? "; --node names one" : ""));
        }
        if (!remote()) {
            String given = timeout != null ? "--timeout" : store != null ? "--store"
                    : eventsPrefix != null ? EventsOnNats.PREFIX_OPTION : null;
            if (given != null) {
                throw usage(given + " is only used with --fleet or --node");
            }
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw usage("--timeout must be more than 0s");
        }
        nodeFilter(); // a bad glob is a usage error before connecting
    }

    /** The nodes {@code --nodes} selects (all without it). */
    Predicate<String> nodeFilter() {
        if (nodes == null) {
            return n -> true;
        }
        if (nodes.isBlank()) {
            throw usage("--nodes needs a glob");
        }
        PathMatcher m;
        try {
            m = FileSystems.getDefault().getPathMatcher("glob:" + nodes);
        } catch (IllegalArgumentException e) {
            throw usage("--nodes \"" + nodes + "\" is not a valid glob: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        return n -> !n.isEmpty() && !n.contains("/") && m.matches(Path.of(n));
    }

    /** A connection to the NATS store and a client on it; close it to disconnect. */
    Remote open(Map<String, String> env, PrintWriter err) {
        StoreLocator stores = new StoreLocator(env);
        StoreLocator.Selection selected = stores.select(store);
        if (!ConnectionSettings.isNats(selected.url())) {
            throw usage(store != null
                    ? "--store must name NATS servers, nats://host:port[,host:port...]: --fleet and --node ask the"
                            + " agents over NATS"
                    : "--fleet and --node ask the agents over NATS, but the store is " + selected.url() + " (from "
                            + selected.source() + "): give --store nats://host:port");
        }
        NatsEventSubjects events = EventsOnNats.subjects(eventsPrefix, env, stores.configFiles());
        Connection connection = NatsConnections.connect(selected.url(), ConnectionSettings.resolve(env, natsSettings,
                w -> {
                    err.println("tend: " + w);
                    err.flush();
                }));
        return new Remote(connection, new NatsControlClient(connection, NatsControlSubjects.of(events),
                timeout != null ? timeout : DEFAULT_TIMEOUT));
    }

    /** An open connection and its client. */
    record Remote(Connection connection, NatsControlClient client) implements AutoCloseable {
        @Override
        public void close() {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The command's error for a failed request to node {@code node}: as {@link AgentSocket#error}. */
    static CommandException error(ControlException e) {
        return AgentSocket.error(e);
    }

    private static CommandException usage(String message) {
        return new CommandException(ExitCodes.USAGE, message);
    }
}
