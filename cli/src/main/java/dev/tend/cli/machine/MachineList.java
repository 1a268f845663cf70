package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tend.cli.command.ExitCodes;
import dev.tend.cli.output.Json;
import dev.tend.cli.output.Table;
import dev.tend.cli.output.TimeFormat;
import dev.tend.machine.LoadFailure;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.control.ControlAnswers;
import dev.tend.machine.control.ControlException;
import dev.tend.machine.control.ControlProtocol;
import dev.tend.machine.control.MachineListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tend machine list}: the running agent's machines, one row each (NAME, VERSION, STATE, STARTED in local time or
 * {@code -}, TRANSITIONS available now), and a row in state {@code FAILED} for each machine directory whose machine
 * does not load, its error (file:line: message) on a line after the table. With {@code --json}: an array of the
 * machine objects of {@link ControlProtocol#machine}, i.e. {@code [{"name","version","state","path","instance_id",
 * "start_time","available_transitions","watchers":[{"name","type","active","state"}], ...}]}, then the
 * {@link ControlProtocol#failure} objects of the failed ones ({@code {"name","path","state":"FAILED","error",
 * "problems"}}). With {@code --fleet} or {@code --node} the agents' machines over NATS, a NODE column first
 * ({@link FleetListing}).
 */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = "Lists the machines of the running agent with their states.")
final class MachineList implements Callable<Integer> {

    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    /** Where the output goes when made without picocli ({@link MachineFastPath}); else picocli's. */
    PrintWriter out;

    @Mixin
    AgentSocket agent;

    @Option(names = "--json", description = "Write the machines as a JSON array (with --fleet or --node: an object,"
            + " see docs/operations.md).")
    boolean json;

    @Mixin
    FleetTarget target = new FleetTarget();

    MachineList(Map<String, String> env) {
        this.env = env;
    }

    private PrintWriter out() {
        return out != null ? out : spec.commandLine().getOut();
    }

    /**
     * Set by {@link MachineFastPath}: before it connects, the command reads and prints a {@link SampleAnswers sample
     * answer} into nothing, which it does while the JDK readies its socket support on another thread.
     */
    boolean rehearse;

    @Override
    public Integer call() {
        target.check(agent.socket != null, true);
        if (target.remote()) {
            return new FleetListing(target, json, env, out(), spec == null ? null
                    : spec.commandLine().getErr()).run();
        }
        if (rehearse) {
            rehearse();
        }
        MachineListing listing;
        try {
            listing = agent.client(env).listing();
        } catch (ControlException e) {
            throw AgentSocket.error(e);
        }
        print(listing, out());
        return ExitCodes.OK;
    }

    /** Prints {@code listing} as this command's output. */
    void print(MachineListing listing, PrintWriter out) {
        List<MachineStatus> machines = listing.machines();
        List<LoadFailure> failed = listing.failed();
        if (json) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            for (MachineStatus m : machines) {
                array.add(ControlProtocol.machine(m));
            }
            for (LoadFailure f : failed) {
                array.add(ControlProtocol.failure(f));
            }
            out.println(Json.pretty(array));
        } else if (machines.isEmpty() && failed.isEmpty()) {
            out.println("No machines are loaded");
        } else {
            TimeFormat times = TimeFormat.from(env);
            Table table = new Table("Name", "Version", "State", "Started", "Transitions");
            for (MachineStatus m : machines) {
                table.row(m.name(), m.version(), m.state(), m.startTime() == null ? "-" : times.table(m.startTime()),
                        MachineInfoBlock.transitions(m.availableTransitions(), ""));
            }
            for (LoadFailure f : failed) {
                table.row(f.name(), "-", LoadFailure.STATE, "-", "");
            }
            table.print(out);
            for (LoadFailure f : failed) {
                out.println(f.name() + " failed to load: " + f.error());
            }
        }
        if (listing.noop() && !json) {
            out.println("The agent runs in noop mode: its watchers run no command and write no managed file");
        }
        out.flush();
    }

    /** Reads and prints {@link SampleAnswers#LIST} into nothing ({@link #rehearse}). */
    private void rehearse() {
        try {
            print(ControlAnswers.listing(SampleAnswers.LIST), SampleAnswers.discard());
        } catch (ControlException | RuntimeException e) {
            // A rehearsal only: the agent's answer reports its own failures.
        }
    }
}
