package dev.tend.watchers.process;

/** A run that ends in the {@code error} outcome before or instead of the command's own verdict; a one-line reason. */
public final class RunFailure extends Exception {
    public RunFailure(String message) {
        super(message);
    }
}
