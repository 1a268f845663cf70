package dev.tend.cli.machine;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.TimeFormat;
import dev.tend.cli.store.ConnectionSettings;
import dev.tend.cli.store.EventsOnNats;
import dev.tend.cli.store.NatsFlags;
import dev.tend.cli.store.StoreLocator;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.machine.control.ControlClient;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.event.CloudEventsJson;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.MalformedEventException;
import dev.tend.machine.event.NatsEventSubjects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tend machine events}: the machines' events, one line each, {@code HH:MM:SS <one-line form>} in local time, or
 * the CloudEvent JSON itself with {@code --json}. Without {@code --follow} the most recent ones from the events file in
 * the state directory ({@code events.jsonl} and its rotated predecessors); with {@code --follow} the running agent's
 * events as they happen, until Ctrl-C or the agent stops; with {@code --follow --nats} (or {@code --store nats://...})
 * the events every agent of a NATS store publishes, from anywhere that reaches its servers.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Shows the machines' recent events, or follows the running agent's (or, from NATS, every"
                + " agent's) events as they happen.")
final class MachineEvents implements Callable<Integer> {

    /** Files the events file rotates into ({@code events.jsonl.1} ... ), newest first. */
    private static final int ROTATED_FILES = 3;

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    AgentSocket agent;

    @Option(names = "--machine", paramLabel = "NAME", description = "Only this machine's events.")
    String machine;

    @Option(names = "--identity", paramLabel = "NAME", description = "Only this node's events (its --identity).")
    String identity;

    @Option(names = {"-f", "--follow"}, description = "Follow the running agent's events as they happen.")
    boolean follow;

    @Option(names = "--nats", description = "With --follow: follow the events agents publish on NATS, those of every"
            + " agent of the store (chosen as for tend kv: --store, TEND_STORE, the config file's store:).")
    boolean nats;

    @Option(names = "--store", paramLabel = "URL",
            description = "With --follow: the NATS servers to follow the events on, nats://host:port[,host:port...];"
                    + " implies --nats.")
    String store;

    @Mixin
    NatsFlags natsSettings = NatsFlags.none();

    @Option(names = EventsOnNats.PREFIX_OPTION, paramLabel = "PREFIX",
            description = "With --nats: the agents' subject prefix. Default: TEND_EVENTS_PREFIX, the config file's "
                    + "events_prefix:, " + NatsEventSubjects.DEFAULT_PREFIX + ".")
    String eventsPrefix;

    @Option(names = {"-n", "--lines"}, paramLabel = "N",
            description = "How many recent events to show (not with --follow). Default: 10.")
    Integer lines;

    @Option(names = "--json", description = "Write each event as its CloudEvent JSON, one per line.")
    boolean json;

    @Option(names = "--state", paramLabel = "DIR",
            description = "The agent's state directory, which holds events.jsonl. Default: TEND_STATE, the config "
                    + "file's state:, /var/lib/tend as root, else ~/.local/state/tend.")
    Path state;

    MachineEvents(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (machine != null && machine.isBlank()) {
            throw new CommandException(ExitCodes.USAGE, "--machine needs a machine name");
        }
        if (identity != null && identity.isBlank()) {
            throw new CommandException(ExitCodes.USAGE, "--identity needs a node name");
        }
        boolean fromNats = nats || store != null;
        if (fromNats && !follow) {
            throw new CommandException(ExitCodes.USAGE, "events on NATS can only be followed (--follow): past events"
                    + " are in the events file of the agent's state directory (--state)");
        }
        if (fromNats && agent.socket != null) {
            throw new CommandException(ExitCodes.USAGE, "--socket and --nats are alternatives: follow the agent of this"
                    + " host on its control socket, or every agent of a NATS store");
        }
        if (eventsPrefix != null && !fromNats) {
            throw new CommandException(ExitCodes.USAGE, EventsOnNats.PREFIX_OPTION + " is only used with --nats");
        }
        if (follow && lines != null) {
            throw new CommandException(ExitCodes.USAGE, "--lines shows past events and cannot be used with --follow");
        }
        if (!follow && agent.socket != null) {
            throw new CommandException(ExitCodes.USAGE, "--socket is only used with --follow: past events are read"
                    + " from the events file of the state directory (--state)");
        }
        if (follow && state != null) {
            throw new CommandException(ExitCodes.USAGE, "--state is only used without --follow: --follow asks the"
                    + " agent on its control socket (--socket)");
        }
        if (lines != null && lines < 0) {
            throw new CommandException(ExitCodes.USAGE, "--lines must be 0 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        TimeFormat times = TimeFormat.from(env);
        if (fromNats) {
            return followNats(out, times);
        }
        return follow ? follow(out, times) : recent(out, times);
    }

    private boolean wanted(MachineEvent event) {
        return (machine == null || machine.equals(event.machine()))
                && (identity == null || identity.equals(event.identity()));
    }

    /** Prints one line; false when standard output was closed, e.g. {@code tend machine events -f | head -3}. */
    private static boolean print(PrintWriter out, String line) {
        out.println(line);
        out.flush();
        return !out.checkError();
    }

    /** The events agents publish on NATS, from now on, until stopped or the connection is lost for good. */
    private int followNats(PrintWriter out, TimeFormat times) {
        StoreLocator stores = new StoreLocator(env);
        StoreLocator.Selection selected = stores.select(store);
        if (!ConnectionSettings.isNats(selected.url())) {
            throw new CommandException(ExitCodes.USAGE, store != null
                    ? "--store must name NATS servers, nats://host:port[,host:port...]: events are followed on NATS"
                    : "--nats needs a NATS store, but the store is " + selected.url() + " (from " + selected.source()
                            + "): give --store nats://host:port");
        }
        NatsEventSubjects subjects = EventsOnNats.subjects(eventsPrefix, env, stores.configFiles());
        return new NatsEventFollower(selected.url(),
                EventsOnNats.connectionOptions(env, natsSettings, w -> spec.commandLine().getErr().println("tend: " + w)),
                subjects).follow(
                (line, event) -> !wanted(event) || print(out, json ? line : EventLines.format(event, times)),
                spec.commandLine().getErr());
    }

    /** The agent's events from now on, until the agent stops, standard output closes or the process is stopped. */
    private int follow(PrintWriter out, TimeFormat times) {
        ControlClient.EventStream stream;
        try {
            stream = agent.client(env).events(machine);
        } catch (ControlException e) {
            throw AgentSocket.error(e);
        }
        // Ctrl-C or SIGTERM: end the stream, so the loop below ends quietly while the JVM shuts down.
        Thread stopper = new Thread(stream::close, "tend-events-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            String line;
            while ((line = stream.next()) != null) {
                MachineEvent event = decodeOrNull(line);
                if (event != null && !wanted(event)) {
                    continue; // the agent filters by machine; the identity is this agent's, or not
                }
                if (!print(out, json || event == null ? line : EventLines.format(event, times))) {
                    return ExitCodes.OK;
                }
            }
            return ExitCodes.OK;
        } catch (ControlException e) {
            throw AgentSocket.error(e);
        } finally {
            stream.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is stopping: the hook does the same.
            }
        }
    }

    /** The most recent events of the events file (and its rotated predecessors), oldest first. */
    private int recent(PrintWriter out, TimeFormat times) {
        Path file = AgentLocations.of(env).paths(null, state, null, null).eventsFile();
        List<Path> files = new ArrayList<>();
        files.add(file);
        for (int i = 1; i <= ROTATED_FILES; i++) {
            files.add(file.resolveSibling(file.getFileName() + "." + i));
        }
        files.removeIf(f -> !Files.isRegularFile(f));
        if (files.isEmpty()) {
            throw new CommandException(ExitCodes.NOT_FOUND, "no events file at " + file + " (no agent has run with"
                    + " this state directory yet; --state names another)");
        }
        int wanted = lines == null ? 10 : lines;
        Deque<String> shown = new ArrayDeque<>();
        int[] malformed = {0};
        for (Path f : files) {
            if (shown.size() >= wanted) {
                break;
            }
            try {
                LinesBackwards.read(f, line -> {
                    MachineEvent event;
                    try {
                        event = CloudEventsJson.decode(line);
                    } catch (MalformedEventException e) {
                        malformed[0]++;
                        return true;
                    }
                    if (wanted(event)) {
                        shown.addFirst(json ? line : EventLines.format(event, times));
                    }
                    return shown.size() < wanted;
                });
            } catch (IOException e) {
                throw new CommandException(ExitCodes.FAILURE, "cannot read the events file " + f + ": "
                        + e.getMessage(), e);
            }
        }
        shown.forEach(out::println);
        out.flush();
        if (malformed[0] > 0) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("tend: skipped " + malformed[0] + " line" + (malformed[0] == 1 ? "" : "s")
                    + " that " + (malformed[0] == 1 ? "is" : "are") + " not a machine event");
            err.flush();
        }
        return ExitCodes.OK;
    }

    /** The event of a CloudEvent line, or null when it is not a machine event (shown as it is). */
    private static MachineEvent decodeOrNull(String line) {
        try {
            return CloudEventsJson.decode(line);
        } catch (MalformedEventException e) {
            return null;
        }
    }
}
