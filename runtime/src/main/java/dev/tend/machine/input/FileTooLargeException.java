package dev.tend.machine.input;

import java.io.IOException;

/** A file is over its {@link FileLimit}; the message is the limit's refusal, for a {@code file: message} line. */
public final class FileTooLargeException extends IOException {

    private final long size;

    public FileTooLargeException(long size, FileLimit limit) {
        super(limit.refusal(size));
        this.size = size;
    }

    /** The file's size in bytes when it was refused. */
    public long size() {
        return size;
    }
}
