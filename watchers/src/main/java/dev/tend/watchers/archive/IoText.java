package dev.tend.watchers.archive;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** An I/O failure as one line of text: the JDK's file exceptions carry only a path as their message. */
final class IoText {

    private IoText() {
    }

    static String of(IOException e) {
        String what = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "already exists"
                : e instanceof DirectoryNotEmptyException ? "directory not empty"
                : null;
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = what == null ? message : message + ": " + what;
        return line.replaceAll("[\\r\\n]+", " ");
    }
}
