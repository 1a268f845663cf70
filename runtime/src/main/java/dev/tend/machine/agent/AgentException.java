package dev.tend.machine.agent;

/** The agent cannot start: its machines directory or plugins are unusable. The message is one line for a person. */
public final class AgentException extends Exception {
    public AgentException(String message) {
        super(message);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
