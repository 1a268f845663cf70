package dev.tend.cli.machine;

import dev.tend.cli.command.WatcherTypes;
import dev.tend.cli.settings.AgentLocations;
import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.agent.Plugins;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.load.MachineLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tend machine graph DIR [--format dot|mermaid] [--state S | --current]}: loads the machine (its problems as
 * {@code validate} prints them, with its exit status: 2 for an invalid machine, 1 for none) and draws its states and transitions, marking the initial state, {@code S}, or
 * with {@code --current} the state the running agent reports for the machine of that name.
 */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Draws a machine's states and transitions as Graphviz DOT or Mermaid.")
final class MachineGraph implements Callable<Integer> {

    enum Format { dot, mermaid }

    @Spec
    CommandSpec spec;

    @Mixin
    WatcherTypes watcherTypes;

    private final Map<String, String> env;

    MachineGraph(Map<String, String> env) {
        this.env = env;
    }

    @Parameters(index = "0", paramLabel = "DIR", description = "A machine directory (or its machine.yaml).")
    Path machine;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "dot",
            description = "dot (Graphviz, the default) or mermaid.")
    Format format;

    @Option(names = "--state", paramLabel = "STATE",
            description = "The state to mark. Default: the initial state.")
    String state;

    @Option(names = "--current",
            description = "Mark the machine's current state, asked of the running agent (see --socket).")
    boolean current;

    @Mixin
    AgentSocket agent;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MachineLoader.Validation v;
        try (Plugins types = watcherTypes.load(AgentLocations.of(env).plugins(null).value())) {
            v = new MachineLoader(types.registry()).validate(machine);
        }
        v.errors().forEach(err::println);
        v.warnings().forEach(w -> err.println("warning: " + w));
        err.flush();
        if (!v.isValid()) {
            return MachineValidate.status(List.of(machine), List.of(v));
        }
        MachineDefinition d = v.definition().orElseThrow();
        if (current && state != null) {
            throw new CommandException(ExitCodes.USAGE, "--current and --state mark a state each; give one of them");
        }
        String marked = current ? currentState(d.name()) : state == null ? d.initialState() : state;
        if (!d.states().contains(marked)) {
            throw new CommandException(ExitCodes.NOT_FOUND, "unknown state \"" + marked + "\" in machine " + d.name()
                    + "; its states are " + String.join(", ", d.states()));
        }
        out.print(format == Format.dot ? StateGraph.dot(d, marked) : StateGraph.mermaid(d, marked));
        out.flush();
        return ExitCodes.OK;
    }

    private String currentState(String name) {
        try {
            return agent.client(env).info(name).state();
        } catch (ControlException e) {
            throw AgentSocket.error(e);
        }
    }
}
