package dev.tend.cli.machine;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.cli.output.TimeFormat;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlAnswers;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.control.ControlProtocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tend machine info NAME}: one machine of the running agent in detail, with its watchers. With {@code --json}:
 * the machine object of {@link ControlProtocol#machine}. With {@code --node ID}: the same, from that agent over NATS.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Shows a machine of the running agent: its state, transitions and watchers.")
final class MachineInfo implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    /** Where the output goes when made without picocli ({@link MachineFastPath}); else picocli's. */
    PrintWriter out;

    @Mixin
    AgentSocket agent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The machine's name.")
    String name;

    @Option(names = "--json", description = "Write the machine as JSON.")
    boolean json;

    @Mixin
    FleetTarget target = new FleetTarget();

    private final Clock clock;

    /**
     * Set by {@link MachineFastPath}: before it connects, the command reads and prints a {@link SampleAnswers sample
     * answer} into nothing, which it does while the JDK readies its socket support on another thread.
     */
    boolean rehearse;

    MachineInfo(Map<String, String> env) {
        this(env, Clock.systemUTC());
    }

    /** @param clock what the time in a state and until a watcher's next step are counted against */
    MachineInfo(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    private PrintWriter out() {
        return out != null ? out : spec.commandLine().getOut();
    }

    @Override
    public Integer call() {
        if (name.isBlank()) {
            throw new CommandException(ExitCodes.USAGE, "NAME must not be empty");
        }
        target.check(agent.socket != null, false);
        MachineStatus status;
        if (target.remote()) {
            try (FleetTarget.Remote remote = target.open(env, spec.commandLine().getErr())) {
                status = remote.client().info(target.node, name);
            } catch (ControlException e) {
                throw FleetTarget.error(e);
            }
        } else {
            if (rehearse) {
                rehearse();
            }
            try {
                status = agent.client(env).info(name);
            } catch (ControlException e) {
                throw AgentSocket.error(e);
            }
        }
        print(status, out());
        return ExitCodes.OK;
    }

    /** Prints {@code status} as this command's output. */
    void print(MachineStatus status, PrintWriter out) {
        if (json) {
            out.println(Json.pretty(ControlProtocol.machine(status, clock.instant())));
        } else {
            out.print(MachineInfoBlock.render(status, TimeFormat.from(env), clock.instant()));
        }
        out.flush();
    }

    /** Reads and prints {@link SampleAnswers#INFO} into nothing ({@link #rehearse}). */
    private void rehearse() {
        try {
            print(ControlAnswers.info(SampleAnswers.INFO), SampleAnswers.discard());
        } catch (ControlException | RuntimeException e) {
            // A rehearsal only: the agent's answer reports its own failures.
        }
    }
}
