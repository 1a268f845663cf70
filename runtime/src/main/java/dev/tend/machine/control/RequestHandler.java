package dev.tend.machine.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.machine.InvalidTransitionException;
import dev.tend.machine.LoadFailure;
import dev.tend.machine.Machine;
import dev.tend.machine.control.ControlException.Code;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Answers the one-shot requests (list, info, transition) from the running machines. */
final class RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

    private final RunningMachines machines;

    RequestHandler(RunningMachines machines) {
        this.machines = machines;
    }

    /** The response to {@code request}; every failure becomes an error response. */
    ObjectNode handle(ControlRequest request) {
        try {
            return switch (request.op()) {
                case ControlProtocol.OP_LIST -> list();
                case ControlProtocol.OP_INFO -> info(request.machine());
                case ControlProtocol.OP_TRANSITION -> transition(request.machine(), request.event());
                default -> throw new ControlException(Code.INVALID, "op \"" + request.op() + "\" cannot be answered"
                        + " in one response");
            };
        } catch (ControlException e) {
            return ControlProtocol.error(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            // A machine that failed in a way it should not have: the operator gets a line, the log the details.
            LOG.warn("control request {} failed", request, e);
            return ControlProtocol.error(Code.FAILURE, request.op() + " failed: " + e.getMessage());
        }
    }

    private ObjectNode list() {
        ObjectNode response = ControlProtocol.ok();
        response.put("identity", machines.identity());
        if (machines.noop()) {
            response.put("noop", true);
        }
        ArrayNode list = response.putArray("machines");
        for (Machine m : machines.machines()) {
            list.add(ControlProtocol.machine(m.status(), machines.clock().instant()));
        }
        List<LoadFailure> failures = machines.failures();
        if (!failures.isEmpty()) {
            ArrayNode failed = response.putArray("failed");
            for (LoadFailure f : failures) {
                failed.add(ControlProtocol.failure(f));
            }
        }
        return response;
    }

    private ObjectNode info(String name) throws ControlException {
        ObjectNode response = ControlProtocol.ok();
        response.set("machine", ControlProtocol.machine(machine(name).status(), machines.clock().instant()));
        return response;
    }

    private ObjectNode transition(String name, String event) throws ControlException {
        Machine machine = machine(name);
        // The state before is read separately from the transition: a watcher's transition in between would make it
        // the state the operator's event was applied to only approximately, which is all "from" is meant to say.
        String from = machine.state();
        String to;
        try {
            to = machine.transition(event);
        } catch (InvalidTransitionException e) {
            throw new ControlException(Code.INVALID, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ControlException(Code.FAILURE, e.getMessage());
        }
        LOG.info("operator transition of machine {} via {}: {} -> {}", name, event, from, to);
        ObjectNode response = ControlProtocol.ok();
        response.setAll(ControlProtocol.transition(new TransitionOutcome(name, event, from,
                to)));
        return response;
    }

    /** The machine named {@code name}, or a {@code not_found} error. */
    Machine machine(String name) throws ControlException {
        return machines.machine(name).orElseThrow(() -> new ControlException(Code.NOT_FOUND,
                "unknown machine \"" + name + "\""));
    }
}
