package dev.tend.machine.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a whole file that may hold at most a {@link FileLimit}, refusing a larger one before reading it. */
public final class BoundedFile {

    private BoundedFile() {
    }

    /**
     * The file's bytes.
     *
     * @throws FileTooLargeException when the file is over the limit, by its size or (a file that grew meanwhile, or a
     *                               device whose size reads as 0) by what it holds: never more than the limit and one
     *                               byte are read
     * @throws IOException           when the file cannot be read ({@link java.nio.file.NoSuchFileException}, ...)
     */
    public static byte[] read(Path file, FileLimit limit) throws IOException {
        long size = Files.size(file);
        if (size > limit.bytes()) {
            throw new FileTooLargeException(size, limit);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(limit.bytes() + 1, Integer.MAX_VALUE - 8));
        }
        if (bytes.length > limit.bytes()) {
            throw new FileTooLargeException(Math.max(bytes.length, Files.size(file)), limit);
        }
        return bytes;
    }
}
