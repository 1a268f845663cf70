package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.cli.output.Table;
import dev.tend.cli.output.TimeFormat;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.control.ControlProtocol;
import dev.tend.machine.control.NatsControlClient;
import dev.tend.machine.control.NatsControlClient.FleetList;
import dev.tend.machine.control.NatsControlClient.NodeList;
import dev.tend.units.Durations;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code tend machine list --fleet|--node ID}: the agents' machines over NATS, one row each with its NODE first. A node
 * that did not answer within {@code --timeout}, or answered with an error, is one line on standard error, and the exit
 * status is then 3. With {@code --json}: {@code {"nodes":[{"node","machines":[MACHINE...]} or {"node","error"}],
 * "did_not_answer":["node",...]}}.
 */
final class FleetListing {

    private final FleetTarget target;
    private final boolean json;
    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;

    FleetListing(FleetTarget target, boolean json, Map<String, String> env, PrintWriter out, PrintWriter err) {
        this.target = target;
        this.json = json;
        this.env = env;
        this.out = out;
        this.err = err != null ? err : new PrintWriter(System.err, true);
    }

    int run() {
        FleetList fleet;
        String timeout;
        try (FleetTarget.Remote remote = target.open(env, err)) {
            NatsControlClient client = remote.client();
            timeout = Durations.format(client.timeout());
            if (target.node != null) {
                fleet = new FleetList(List.of(new NodeList(target.node, client.list(target.node), null)), List.of());
            } else {
                fleet = client.list(target.nodeFilter());
            }
        } catch (ControlException e) {
            throw FleetTarget.error(e);
        }
        if (fleet.nodes().isEmpty() && fleet.silent().isEmpty()) {
            throw new CommandException(ExitCodes.NOT_FOUND, "no agent answered within " + timeout
                    + (target.nodes != null ? " among the nodes matching " + target.nodes : "")
                    + " (are they running with a NATS store and the same events prefix?)");
        }
        if (json) {
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            ArrayNode nodes = reply.putArray("nodes");
            for (NodeList n : fleet.nodes()) {
                ObjectNode node = nodes.addObject().put("node", n.identity());
                if (n.error() != null) {
                    node.put("error", n.error());
                } else {
                    ArrayNode machines = node.putArray("machines");
                    n.machines().forEach(m -> machines.add(ControlProtocol.machine(m)));
                }
            }
            reply.set("did_not_answer", Json.strings(fleet.silent()));
            out.println(Json.pretty(reply));
        } else {
            TimeFormat times = TimeFormat.from(env);
            Table table = new Table("Node", "Name", "Version", "State", "Started", "Transitions");
            int rows = 0;
            for (NodeList n : fleet.nodes()) {
                for (MachineStatus m : n.machines()) {
                    table.row(n.identity(), m.name(), m.version(), m.state(),
                            m.startTime() == null ? "-" : times.table(m.startTime()),
                            MachineInfoBlock.transitions(m.availableTransitions(), ""));
                    rows++;
                }
            }
            if (fleet.nodes().isEmpty()) {
                out.println("No node answered");
            } else if (rows == 0) {
                out.println("No machines are loaded on the " + fleet.nodes().size() + " nodes that answered");
            } else {
                table.print(out);
            }
        }
        out.flush();
        boolean complete = true;
        for (NodeList n : fleet.nodes()) {
            if (n.error() != null) {
                err.println("tend: node " + n.identity() + ": " + n.error());
                complete = false;
            }
        }
        for (String node : fleet.silent()) {
            err.println("tend: node " + node + " did not answer within " + timeout);
            complete = false;
        }
        err.flush();
        return complete ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
