package dev.tend.watchers.exec;

/** A run that ends in the {@code error} outcome before or instead of the command's own verdict; a one-line reason. */
final class RunFailure extends Exception {
    RunFailure(String message) {
        super(message);
    }
}
