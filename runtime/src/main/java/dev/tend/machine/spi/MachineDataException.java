package dev.tend.machine.spi;

/** Machine data could not be persisted; the message names the file and the cause. */
public class MachineDataException extends RuntimeException {
    public MachineDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
