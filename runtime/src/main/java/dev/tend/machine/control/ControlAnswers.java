package dev.tend.machine.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tend.machine.LoadFailure;
import dev.tend.machine.MachineStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's answers to the one-shot requests ({@code list}, {@code info}, {@code transition}), read from the lines
 * it writes: what {@link ControlClient} does with an answer once it has it. Public so that a short command can run its
 * handling of an answer on a sample line while it waits for the JDK's socket support (see {@link ClientStartup}).
 * Every failure is a {@link ControlException}: the agent's own error, a malformed line, or a newer protocol.
 */
public final class ControlAnswers {

    private ControlAnswers() {
    }

    /** The answer to {@code list}: every loaded machine and the machine directories whose machine does not load. */
    public static MachineListing listing(String line) throws ControlException {
        JsonNode response = checked(line);
        List<LoadFailure> failed = new ArrayList<>();
        for (JsonNode f : response.path("failed")) {
            failed.add(ControlProtocol.loadFailure(f));
        }
        return new MachineListing(machines(response), failed, response.path("noop").asBoolean(false));
    }

    /** The loaded machines of an answer to {@code list}, leaving its failed ones unread. */
    static List<MachineStatus> machines(String line) throws ControlException {
        return machines(checked(line));
    }

    /** The answer to {@code info}: the machine's status. */
    public static MachineStatus info(String line) throws ControlException {
        return ControlProtocol.machineStatus(checked(line).get("machine"));
    }

    /**
     * The answer to {@code transition}: what the transition did, the request's {@code machine} and {@code event}
     * standing in for an answer that leaves them out.
     */
    public static TransitionOutcome transition(String line, String machine, String event) throws ControlException {
        JsonNode r = checked(line);
        return new TransitionOutcome(r.path("machine").asText(machine), r.path("event").asText(event),
                r.path("from_state").asText(), r.path("to_state").asText());
    }

    private static List<MachineStatus> machines(JsonNode response) throws ControlException {
        List<MachineStatus> machines = new ArrayList<>();
        for (JsonNode m : response.path("machines")) {
            machines.add(ControlProtocol.machineStatus(m));
        }
        return machines;
    }

    private static JsonNode checked(String line) throws ControlException {
        return ControlClient.check(ControlClient.parse(line));
    }
}
