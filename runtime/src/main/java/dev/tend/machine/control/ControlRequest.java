package dev.tend.machine.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tend.machine.control.ControlException.Code;

import java.util.List;

/**
 * One request line, checked: {@code op} is known and carries the fields it needs.
 *
 * @param op      one of list, info, transition, events
 * @param machine the machine asked about; {@code null} for list, and for events of every machine
 * @param event   the event of a transition, else {@code null}
 */
record ControlRequest(String op, String machine, String event) {

    private static final List<String> OPS = List.of(ControlProtocol.OP_LIST, ControlProtocol.OP_INFO,
            ControlProtocol.OP_TRANSITION, ControlProtocol.OP_EVENTS);

    static ControlRequest list() {
        return new ControlRequest(ControlProtocol.OP_LIST, null, null);
    }

    static ControlRequest info(String machine) {
        return new ControlRequest(ControlProtocol.OP_INFO, machine, null);
    }

    static ControlRequest transition(String machine, String event) {
        return new ControlRequest(ControlProtocol.OP_TRANSITION, machine, event);
    }

    static ControlRequest events(String machine) {
        return new ControlRequest(ControlProtocol.OP_EVENTS, machine, null);
    }

    /** The request line. */
    String toLine() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("v", ControlProtocol.VERSION);
        n.put("op", op);
        if (machine != null) {
            n.put("machine", machine);
        }
        if (event != null) {
            n.put("event", event);
        }
        return ControlProtocol.line(n);
    }

    /** Parses and checks a request line; what is wrong is an {@code invalid} error naming the field. */
    static ControlRequest parse(String line) throws ControlException {
        JsonNode n;
        try {
            n = JsonLines.read(line);
        } catch (JsonProcessingException e) {
            throw invalid("malformed request: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw invalid("malformed request: not a JSON object");
        }
        JsonNode v = n.get("v");
        if (v != null && (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1)) {
            throw invalid("malformed request: \"v\" must be a protocol version number, not " + v);
        }
        if (v != null && v.asInt() > ControlProtocol.VERSION) {
            throw invalid("control protocol version " + v.asInt() + " is not supported by this agent (it speaks"
                    + " version " + ControlProtocol.VERSION + "): use the same version of tend as the agent");
        }
        String op = text(n, "op");
        if (op == null) {
            throw invalid("malformed request: \"op\" is missing (expected one of " + String.join(", ", OPS) + ")");
        }
        if (!OPS.contains(op)) {
            throw invalid("unknown op \"" + op + "\" (expected one of " + String.join(", ", OPS) + ")");
        }
        String machine = text(n, "machine");
        String event = text(n, "event");
        boolean needsMachine = !op.equals(ControlProtocol.OP_LIST) && !op.equals(ControlProtocol.OP_EVENTS);
        if (needsMachine && (machine == null || machine.isEmpty())) {
            throw invalid("op \"" + op + "\" needs \"machine\"");
        }
        if (op.equals(ControlProtocol.OP_TRANSITION) && (event == null || event.isEmpty())) {
            throw invalid("op \"transition\" needs \"event\"");
        }
        return new ControlRequest(op, op.equals(ControlProtocol.OP_LIST) ? null : machine,
                op.equals(ControlProtocol.OP_TRANSITION) ? event : null);
    }

    /** A field's text; a field of another type is an error, a missing or null one is {@code null}. */
    private static String text(JsonNode n, String field) throws ControlException {
        JsonNode f = n.get(field);
        if (f == null || f.isNull()) {
            return null;
        }
        if (!f.isTextual()) {
            throw invalid("malformed request: \"" + field + "\" must be a string, not " + f);
        }
        return f.asText();
    }

    private static ControlException invalid(String message) {
        return new ControlException(Code.INVALID, ControlProtocol.oneLine(message));
    }
}
