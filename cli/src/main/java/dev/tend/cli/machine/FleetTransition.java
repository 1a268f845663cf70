package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.control.NatsControlClient;
import dev.tend.machine.control.NatsControlClient.FleetList;
import dev.tend.machine.control.NatsControlClient.NodeList;
import dev.tend.machine.control.NatsControlClient.NodeTransition;
import dev.tend.machine.control.NatsControlClient.TransitionResult;
import dev.tend.units.Durations;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fires transitions on every agent over NATS ({@code --fleet} of {@code tend machine transition} and of the Scout
 * verbs): the fleet-wide list first (the nodes {@code --nodes} selects), then the transitions the {@link Plan} picks
 * from each node's machines, all sent at once and awaited until one deadline. Prints one line per machine,
 * {@code NODE: NAME: FROM -> TO via EVENT}, {@code NODE: NAME: skipped, ...} or {@code NODE: NAME: failed, ...}; a node
 * that did not answer is a line on standard error. Exit 0 when everything fired (or was skipped), 3 when a node did not
 * answer, else 1. With {@code --json}: {@code {"transitioned":[{"node","machine","event","from_state","to_state"}],
 * "failed":[{"node","machine","error"}],"skipped":[{"node","machine","reason"}],"did_not_answer":["node",...]}}.
 */
final class FleetTransition {

    /** What to fire on one node, and what to skip there. */
    interface Plan {
        /**
         * Adds to {@code fire} the transitions to fire on {@code node} (whose machines are {@code machines}), and to
         * {@code skipped} the machines left alone with why ({@code [name, reason]}).
         */
        void plan(String node, List<MachineStatus> machines, List<NodeTransition> fire, List<String[]> skipped);

        /** Failures of the whole command found once every node's list is known ({@code [name, reason]}). */
        default List<String[]> failures(List<NodeList> nodes) {
            return List.of();
        }
    }

    private final FleetTarget target;
    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    FleetTransition(FleetTarget target, Map<String, String> env, PrintWriter out, PrintWriter err, boolean json) {
        this.target = target;
        this.env = env;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** {@code tend machine transition --fleet NAME EVENT}: on every node that runs NAME. */
    int run(String name, String event) {
        return run(new Plan() {
            @Override
            public void plan(String node, List<MachineStatus> machines, List<NodeTransition> fire,
                             List<String[]> skipped) {
                for (MachineStatus m : machines) {
                    if (m.name().equals(name)) {
                        fire.add(new NodeTransition(node, name, event));
                    }
                }
            }

            @Override
            public List<String[]> failures(List<NodeList> nodes) {
                boolean runs = nodes.stream().anyMatch(n -> n.machines().stream().anyMatch(m -> m.name().equals(name)));
                return runs ? List.of() : List.<String[]>of(new String[] {name, "no node that answered runs it"});
            }
        });
    }

    int run(Plan plan) {
        FleetList fleet;
        List<NodeTransition> fire = new ArrayList<>();
        List<String[]> skipped = new ArrayList<>(); // node, name, reason
        List<TransitionResult> results;
        String timeout;
        try (FleetTarget.Remote remote = target.open(env, err)) {
            NatsControlClient client = remote.client();
            timeout = Durations.format(client.timeout());
            fleet = client.list(target.nodeFilter());
            for (NodeList n : fleet.nodes()) {
                List<String[]> nodeSkipped = new ArrayList<>();
                plan.plan(n.identity(), n.machines(), fire, nodeSkipped);
                nodeSkipped.forEach(s -> skipped.add(new String[] {n.identity(), s[0], s[1]}));
            }
            results = client.transitions(fire);
        } catch (ControlException e) {
            throw FleetTarget.error(e);
        }
        if (fleet.nodes().isEmpty() && fleet.silent().isEmpty()) {
            throw new CommandException(ExitCodes.NOT_FOUND, "no agent answered within " + timeout
                    + (target.nodes != null ? " among the nodes matching " + target.nodes : "")
                    + " (are they running with a NATS store and the same events prefix?)");
        }
        List<String[]> failed = new ArrayList<>(); // node (or null), name, reason
        for (String[] f : plan.failures(fleet.nodes())) {
            failed.add(new String[] {null, f[0], f[1]});
        }
        List<TransitionResult> done = new ArrayList<>();
        for (TransitionResult r : results) {
            if (r.error() == null) {
                done.add(r);
            } else {
                failed.add(new String[] {r.request().node(), r.request().machine(), r.error().getMessage()});
            }
        }
        List<String> silent = new ArrayList<>(fleet.silent());
        List<String> errors = new ArrayList<>();
        for (NodeList n : fleet.nodes()) {
            if (n.error() != null) {
                errors.add("node " + n.identity() + ": " + n.error());
            }
        }
        if (json) {
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            ArrayNode t = reply.putArray("transitioned");
            for (TransitionResult r : done) {
                t.addObject().put("node", r.request().node()).put("machine", r.outcome().machine())
                        .put("event", r.outcome().event()).put("from_state", r.outcome().fromState())
                        .put("to_state", r.outcome().toState());
            }
            ArrayNode f = reply.putArray("failed");
            for (String[] x : failed) {
                ObjectNode o = f.addObject();
                if (x[0] != null) {
                    o.put("node", x[0]);
                }
                o.put("machine", x[1]).put("error", x[2]);
            }
            ArrayNode s = reply.putArray("skipped");
            for (String[] x : skipped) {
                s.addObject().put("node", x[0]).put("machine", x[1]).put("reason", x[2]);
            }
            reply.set("did_not_answer", Json.strings(silent));
            out.println(Json.pretty(reply));
        } else {
            for (String[] x : failed) {
                if (x[0] == null) {
                    out.println(x[1] + ": failed, " + x[2]);
                }
            }
            for (TransitionResult r : done) {
                out.println(r.request().node() + ": " + r.outcome());
            }
            for (String[] x : skipped) {
                out.println(x[0] + ": " + x[1] + ": skipped, " + x[2]);
            }
            for (String[] x : failed) {
                if (x[0] != null) {
                    out.println(x[0] + ": " + x[1] + ": failed, " + x[2]);
                }
            }
        }
        out.flush();
        errors.forEach(e -> err.println("tend: " + e));
        silent.forEach(n -> err.println("tend: node " + n + " did not answer within " + timeout));
        err.flush();
        if (!silent.isEmpty() || !errors.isEmpty()) {
            return ExitCodes.FAILURE;
        }
        return failed.isEmpty() ? ExitCodes.OK : ExitCodes.NOT_FOUND;
    }
}
