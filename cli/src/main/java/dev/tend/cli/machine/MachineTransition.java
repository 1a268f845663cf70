package dev.tend.cli.machine;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.machine.control.ControlAnswers;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.control.ControlProtocol;
import dev.tend.machine.control.TransitionOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tend machine transition NAME EVENT}: applies an event to a machine of the running agent now, and prints
 * {@code NAME: FROM -> TO via EVENT}. An event not valid in the machine's state is an error naming the valid ones
 * (exit 1), as is an unknown machine. With {@code --json}: {@code {"machine","event","from_state","to_state"}}. With
 * {@code --node ID} the same on that agent over NATS; with {@code --fleet} on every agent that runs the machine
 * ({@link FleetTransition}).
 */
@Command(name = "transition", mixinStandardHelpOptions = true,
        description = "Applies an event to a machine of the running agent now.")
final class MachineTransition implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    /** Where the output goes when made without picocli ({@link MachineFastPath}); else picocli's. */
    PrintWriter out;

    @Mixin
    AgentSocket agent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The machine's name.")
    String name;

    @Parameters(index = "1", paramLabel = "EVENT", description = "The transition to fire.")
    String event;

    @Option(names = "--json", description = "Write the outcome as JSON.")
    boolean json;

    @Mixin
    FleetTarget target = new FleetTarget();

    /**
     * Set by {@link MachineFastPath}: before it connects, the command reads and prints a {@link SampleAnswers sample
     * answer} into nothing, which it does while the JDK readies its socket support on another thread.
     */
    boolean rehearse;

    MachineTransition(Map<String, String> env) {
        this.env = env;
    }

    private PrintWriter out() {
        return out != null ? out : spec.commandLine().getOut();
    }

    @Override
    public Integer call() {
        if (name.isBlank()) {
            throw new CommandException(ExitCodes.USAGE, "NAME must not be empty");
        }
        if (event.isBlank()) {
            throw new CommandException(ExitCodes.USAGE, "EVENT must not be empty");
        }
        target.check(agent.socket != null, true);
        if (target.fleet) {
            return new FleetTransition(target, env, out(), spec.commandLine().getErr(), json).run(name, event);
        }
        TransitionOutcome outcome;
        if (target.remote()) {
            try (FleetTarget.Remote remote = target.open(env, spec.commandLine().getErr())) {
                outcome = remote.client().transition(target.node, name, event);
            } catch (ControlException e) {
                throw FleetTarget.error(e);
            }
        } else {
            if (rehearse) {
                rehearse();
            }
            try {
                outcome = agent.client(env).transition(name, event);
            } catch (ControlException e) {
                throw AgentSocket.error(e);
            }
        }
        print(outcome, out());
        return ExitCodes.OK;
    }

    /** Prints {@code outcome} as this command's output. */
    void print(TransitionOutcome outcome, PrintWriter out) {
        out.println(json ? Json.pretty(ControlProtocol.transition(outcome)) : outcome.toString());
        out.flush();
    }

    /** Reads and prints {@link SampleAnswers#TRANSITION} into nothing ({@link #rehearse}). */
    private void rehearse() {
        try {
            print(ControlAnswers.transition(SampleAnswers.TRANSITION, name, event), SampleAnswers.discard());
        } catch (ControlException | RuntimeException e) {
            // A rehearsal only: the agent's answer reports its own failures.
        }
    }
}
