package dev.tend.machine.control;

import java.util.Locale;
import java.util.Optional;

/** A control request that did not succeed: the agent's error response, or no agent to ask. The message is one line. */
public final class ControlException extends Exception {

    /** Why; all but {@link #NO_AGENT} travel on the wire as {@code "code"}. */
    public enum Code {
        /** The machine asked for is not loaded. */
        NOT_FOUND,
        /** The request is not valid: malformed, unknown op, or an event not valid in the machine's state. */
        INVALID,
        /** The agent could not do it (or the client could not talk to it). */
        FAILURE,
        /** Nothing answers on the socket (client side only). */
        NO_AGENT;

        /** The wire form, e.g. {@code not_found}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The code for a wire form; an unknown one (a newer agent's) is a failure. */
        static Code fromWire(String wire) {
            return Optional.ofNullable(wire).flatMap(w -> {
                for (Code c : values()) {
                    if (c != NO_AGENT && c.wire().equals(w)) {
                        return Optional.of(c);
                    }
                }
                return Optional.empty();
            }).orElse(FAILURE);
        }
    }

    private final Code code;

    public ControlException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public ControlException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
