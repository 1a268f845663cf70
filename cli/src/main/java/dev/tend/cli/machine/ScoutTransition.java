package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlClient;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.control.NatsControlClient.NodeList;
import dev.tend.machine.control.NatsControlClient.NodeTransition;
import dev.tend.machine.control.TransitionOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tend machine maintenance|resume|check [NAME...]}: fires {@code MAINTENANCE}, {@code RESUME} or
 * {@code FORCE_CHECK} on the running agent's Scout checks (machines with a {@code nagios} watcher), as
 * {@code choria scout maintenance|resume|trigger} do. Each NAME is a machine name or a glob ({@code *}, {@code ?},
 * {@code [...]}); none means every check. A check whose state does not allow the transition is skipped; a NAME that
 * matches no check fails. Prints one line per check ({@code NAME: FROM -> TO via EVENT}, {@code NAME: skipped, ...},
 * {@code NAME: failed, ...}); exit 0 when every check was transitioned or skipped, 1 otherwise. With {@code --json}:
 * Choria's reply, {@code {"transitioned": [...], "failed": [...], "skipped": [...]}}. With {@code --node ID} the same
 * on that agent over NATS; with {@code --fleet} on every agent ({@link FleetTransition}: each line starts with its
 * node).
 */
abstract class ScoutTransition implements Callable<Integer> {

    /** The watcher type that makes a machine a Scout check. */
    static final String CHECK_TYPE = "nagios";

    @Command(name = "maintenance", mixinStandardHelpOptions = true,
            description = "Puts Scout checks (machines with a nagios watcher) in maintenance: fires MAINTENANCE.")
    static final class Maintenance extends ScoutTransition {
        Maintenance(Map<String, String> env) {
            super(env, "MAINTENANCE");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resumes Scout checks from maintenance: fires RESUME (they check at once).")
    static final class Resume extends ScoutTransition {
        Resume(Map<String, String> env) {
            super(env, "RESUME");
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Checks Scout checks now: fires FORCE_CHECK.")
    static final class Check extends ScoutTransition {
        Check(Map<String, String> env) {
            super(env, "FORCE_CHECK");
        }
    }

    private final Map<String, String> env;
    private final String event;

    @Spec
    CommandSpec spec;

    @Mixin
    AgentSocket agent;

    @Parameters(paramLabel = "NAME", arity = "0..*",
            description = "Machine names or globs (*, ?, [...]). Default: every Scout check.")
    List<String> names = new ArrayList<>();

    @Option(names = "--json", description = "Write the outcome as JSON: transitioned, failed and skipped names.")
    boolean json;

    @Mixin
    FleetTarget target = new FleetTarget();

    /** The agent asked: this host's over its socket, or one over NATS ({@code --node}). */
    private interface Agent {
        List<MachineStatus> list() throws ControlException;

        TransitionOutcome transition(String machine, String event) throws ControlException;
    }

    ScoutTransition(Map<String, String> env, String event) {
        this.env = env;
        this.event = event;
    }

    @Override
    public Integer call() {
        List<PathMatcher> patterns = new ArrayList<>();
        for (String name : names) {
            if (name.isBlank()) {
                throw new CommandException(ExitCodes.USAGE, "NAME must not be empty");
            }
            try {
                patterns.add(FileSystems.getDefault().getPathMatcher("glob:" + name));
            } catch (IllegalArgumentException e) {
                throw new CommandException(ExitCodes.USAGE, "NAME \"" + name + "\" is not a valid glob: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        target.check(agent.socket != null, true);
        if (target.fleet) {
            return new FleetTransition(target, env, spec.commandLine().getOut(), spec.commandLine().getErr(), json)
                    .run(fleetPlan(patterns));
        }
        if (target.remote()) {
            try (FleetTarget.Remote remote = target.open(env, spec.commandLine().getErr())) {
                String node = target.node;
                return apply(patterns, new Agent() {
                    @Override
                    public List<MachineStatus> list() throws ControlException {
                        return remote.client().list(node);
                    }

                    @Override
                    public TransitionOutcome transition(String machine, String event) throws ControlException {
                        return remote.client().transition(node, machine, event);
                    }
                });
            }
        }
        ControlClient client = agent.client(env);
        return apply(patterns, new Agent() {
            @Override
            public List<MachineStatus> list() throws ControlException {
                return client.list();
            }

            @Override
            public TransitionOutcome transition(String machine, String event) throws ControlException {
                return client.transition(machine, event);
            }
        });
    }

    /** The Scout checks among {@code machines}. */
    private static List<MachineStatus> checks(List<MachineStatus> machines) {
        return machines.stream()
                .filter(m -> m.watchers().stream().anyMatch(w -> CHECK_TYPE.equals(w.type())))
                .toList();
    }

    private static boolean selected(List<PathMatcher> patterns, MachineStatus m) {
        return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matches(Path.of(m.name())));
    }

    /** {@code --fleet}: the checks NAME selects on each node; a NAME that matches no check on any node fails. */
    private FleetTransition.Plan fleetPlan(List<PathMatcher> patterns) {
        return new FleetTransition.Plan() {
            @Override
            public void plan(String node, List<MachineStatus> machines,
                             List<NodeTransition> fire,
                             List<String[]> skipped) {
                for (MachineStatus m : checks(machines)) {
                    if (!selected(patterns, m)) {
                        continue;
                    }
                    if (m.availableTransitions().contains(event)) {
                        fire.add(new NodeTransition(node, m.name(), event));
                    } else {
                        skipped.add(new String[] {m.name(), event + " is not valid in state " + m.state()});
                    }
                }
            }

            @Override
            public List<String[]> failures(List<NodeList> nodes) {
                List<String[]> failures = new ArrayList<>();
                for (int i = 0; i < names.size(); i++) {
                    PathMatcher p = patterns.get(i);
                    boolean matched = nodes.stream().anyMatch(n -> checks(n.machines()).stream()
                            .anyMatch(m -> p.matches(Path.of(m.name()))));
                    if (!matched) {
                        failures.add(new String[] {names.get(i), "no Scout check matches"});
                    }
                }
                return failures;
            }
        };
    }

    private int apply(List<PathMatcher> patterns, Agent client) {
        List<MachineStatus> checks;
        try {
            checks = checks(client.list());
        } catch (ControlException e) {
            throw AgentSocket.error(e);
        }
        List<String> lines = new ArrayList<>();
        List<String> transitioned = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> failed = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            PathMatcher p = patterns.get(i);
            if (checks.stream().noneMatch(m -> p.matches(Path.of(m.name())))) {
                failed.add(names.get(i));
                lines.add(names.get(i) + ": failed, no Scout check matches");
            }
        }
        for (MachineStatus m : checks) {
            if (!patterns.isEmpty() && patterns.stream().noneMatch(p -> p.matches(Path.of(m.name())))) {
                continue;
            }
            if (!m.availableTransitions().contains(event)) {
                skipped.add(m.name());
                lines.add(m.name() + ": skipped, " + event + " is not valid in state " + m.state());
                continue;
            }
            try {
                TransitionOutcome outcome = client.transition(m.name(), event);
                transitioned.add(m.name());
                lines.add(outcome.toString());
            } catch (ControlException e) {
                if (e.code() == ControlException.Code.NO_AGENT) {
                    throw AgentSocket.error(e);
                }
                failed.add(m.name());
                lines.add(m.name() + ": failed, " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode reply = JsonNodeFactory.instance.objectNode();
            reply.set("transitioned", Json.strings(transitioned));
            reply.set("failed", Json.strings(List.copyOf(failed)));
            reply.set("skipped", Json.strings(skipped));
            out.println(Json.pretty(reply));
        } else {
            lines.forEach(out::println);
        }
        out.flush();
        return failed.isEmpty() ? ExitCodes.OK : ExitCodes.NOT_FOUND;
    }
}
