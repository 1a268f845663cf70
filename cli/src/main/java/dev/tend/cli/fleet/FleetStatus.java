package dev.tend.cli.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.DurationConverter;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.cli.output.Table;
import dev.tend.cli.output.TimeFormat;
import dev.tend.cli.store.ConnectionSettings;
import dev.tend.cli.store.EventsOnNats;
import dev.tend.cli.store.StoreLocator;
import dev.tend.fleet.spec.PluginItem;
import dev.tend.fleet.spec.PluginSpec;
import dev.tend.fleet.spec.SpecException;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Operation;
import dev.tend.kv.nats.NatsConnections;
import dev.tend.machine.event.CloudEventsJson;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.MalformedEventException;
import dev.tend.machine.event.NatsEventSubjects;
import dev.tend.units.Durations;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tend fleet status}: listens to the agents' machine events on NATS for {@code --wait} and tabulates, per node,
 * the managed machines it reported ({@link FleetView}): each machine's version and state, and its manager machine's
 * last archive outcome. Agents publish a machine's events when it changes and a manager machine's at each check, so a
 * wait longer than the check interval hears from every node.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Which nodes run which version of each managed machine, from the machine events the agents "
                + "publish on NATS during --wait (a wait longer than the agents' check interval hears from every "
                + "node). Needs a NATS store."})
final class FleetStatus implements Callable<Integer> {

    @ParentCommand
    FleetCommand parent;

    @Mixin
    SpecLocation location;

    @Option(names = "--wait", paramLabel = "DUR", defaultValue = "3s", converter = DurationConverter.class,
            description = "How long to listen. Default: ${DEFAULT-VALUE}.")
    Duration wait;

    @Option(names = EventsOnNats.PREFIX_OPTION, paramLabel = "PREFIX",
            description = "The subjects the agents publish events on, as their --events-prefix. Default: "
                    + "TEND_EVENTS_PREFIX, the config file's events_prefix:, " + NatsEventSubjects.DEFAULT_PREFIX + ".")
    String eventsPrefix;

    @Option(names = {"-j", "--json"}, description = "Print the table as JSON.")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        FleetContext context = parent.context();
        String url = parent.storeOptions.selection(context.env()).url();
        if (!ConnectionSettings.isNats(url)) {
            throw new CommandException(ExitCodes.USAGE, "fleet status reads the machine events agents publish on "
                    + "NATS; with the embedded store (" + url + ") there are none: run tend machine list on each node, "
                    + "or use --store nats://...");
        }
        if (wait.isNegative() || wait.isZero()) {
            throw new CommandException(ExitCodes.USAGE, "--wait must be more than 0s");
        }
        Set<String> names = managedNames();
        NatsEventSubjects subjects = EventsOnNats.subjects(eventsPrefix, context.env(),
                new StoreLocator(context.env()).configFiles());
        FleetView view = new FleetView(names);
        int skipped = listen(url, subjects, view);
        PrintWriter out = context.out();
        List<FleetView.Row> rows = view.rows();
        if (json) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (FleetView.Row r : rows) {
                array.addObject().put("node", r.node()).put("machine", r.machine()).put("version", r.version())
                        .put("state", r.state()).put("archive", r.archive())
                        .put("seen", TimeFormat.rfc3339(r.seen()));
            }
            out.println(Json.pretty(array));
        } else if (rows.isEmpty()) {
            out.println("No events of managed machines on " + subjects.all() + " in " + Durations.format(wait)
                    + (skipped > 0 ? " (" + skipped + " messages were not machine events)" : "")
                    + ": a wait longer than the agents' check interval hears from every node");
        } else {
            TimeFormat times = TimeFormat.from(context.env());
            Table table = new Table("Node", "Machine", "Version", "State", "Archive", "Seen");
            for (FleetView.Row r : rows) {
                table.row(r.node(), r.machine(), r.version(), r.state(), r.archive(), times.table(r.seen()));
            }
            table.print(out);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The names the published specification lists; empty when there is none (then {@code mm_*} tells them). */
    private Set<String> managedNames() {
        Set<String> names = new LinkedHashSet<>();
        try (KvStore store = parent.open()) {
            if (!store.exists(location.bucket)) {
                return names;
            }
            Optional<Entry> e = store.bucket(location.bucket).get(location.key);
            if (e.isPresent() && e.get().operation() == Operation.PUT) {
                for (PluginItem i : PluginSpec.fromData(new String(e.get().value(),
                        java.nio.charset.StandardCharsets.UTF_8)).items()) {
                    names.add(i.name());
                }
            }
        } catch (SpecException e) {
            // not a usable specification: the manager machines' events still name their machines
        }
        return names;
    }

    /** Feeds the view every event heard during the wait; the number of messages that were not events. */
    private int listen(String url, NatsEventSubjects subjects, FleetView view) throws InterruptedException {
        FleetContext context = parent.context();
        Connection connection = NatsConnections.connect(url, parent.storeOptions.connection(context.env(),
                context.err()));
        int skipped = 0;
        try {
            Subscription subscription = connection.subscribe(subjects.all());
            long deadline = System.nanoTime() + wait.toNanos();
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                Message message = subscription.nextMessage(Duration.ofNanos(left));
                if (message == null || subjects.isRequest(message.getSubject())) {
                    continue; // nothing yet, or an operator's request to the agents
                }
                MachineEvent event;
                try {
                    event = CloudEventsJson.decode(message.getData());
                } catch (MalformedEventException e) {
                    skipped++;
                    continue;
                }
                view.add(event);
            }
        } finally {
            connection.close();
        }
        return skipped;
    }
}
