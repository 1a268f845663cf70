package dev.tend.machine.event;

/** Text that is not a Tend machine event in CloudEvents JSON; the message says why, in one line. */
public final class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
