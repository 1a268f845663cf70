package dev.tend.machine.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Appends every event, as one line of CloudEvents JSON, to {@code <stateDir>/events.jsonl}, where {@code tend machine
 * events} can follow it. Each line is flushed to the operating system as it is written but not forced to disk: events
 * are not worth a disk sync per transition. When the file would grow past its size limit it is rotated
 * ({@code events.jsonl} becomes {@code events.jsonl.1}, {@code .1} becomes {@code .2}, ..., the oldest is removed).
 * The file is created owner-only (0600) in an owner-only (0700) directory, since events may carry watcher output.
 *
 * <p>Publishing never throws: an event that cannot be written is dropped, and each kind of failure is logged once until
 * writing works again. Thread-safe.
 */
public final class EventsFile implements EventSink, AutoCloseable {

    public static final String FILE_NAME = "events.jsonl";
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
    public static final int DEFAULT_KEEP = 3;

    private static final Logger LOG = LoggerFactory.getLogger(EventsFile.class);
    private static final int BUFFER_SIZE = 64 * 1024;

    private enum Failure { ENCODE, OPEN, WRITE, ROTATE }

    private final Path file;
    private final long maxBytes;
    private final int keep;
    // All guarded by this.
    private OutputStream out;
    private long size;
    private boolean closed;
    private final Set<Failure> reported = EnumSet.noneOf(Failure.class);

    /**
     * @param file     the events file
     * @param maxBytes rotate before a line would take the file past this size (a single larger line is still written)
     * @param keep     how many rotated files to keep ({@code file.1} .. {@code file.keep}); 0 keeps none
     */
    public EventsFile(Path file, long maxBytes, int keep) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        if (maxBytes <= 0 || keep < 0) {
            throw new IllegalArgumentException("events file needs a positive size limit and a non-negative keep count");
        }
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    /** {@code <stateDirectory>/events.jsonl}, 16 MiB per file, three rotated files kept. */
    public static EventsFile in(Path stateDirectory) {
        return new EventsFile(stateDirectory.resolve(FILE_NAME), DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    }

    public Path file() {
        return file;
    }

    @Override
    public void publish(MachineEvent event) {
        byte[] line;
        try {
            byte[] json = CloudEventsJson.encode(event);
            line = new byte[json.length + 1];
            System.arraycopy(json, 0, line, 0, json.length);
            line[json.length] = '\n';
        } catch (RuntimeException e) {
            synchronized (this) {
                failed(Failure.ENCODE, "cannot encode event \"" + event + "\": " + e.getMessage());
            }
            return;
        }
        write(line);
    }

    private synchronized void write(byte[] line) {
        if (closed) {
            LOG.debug("events file {} is closed; event dropped", file);
            return;
        }
        if (out == null && !open()) {
            return;
        }
        if (size > 0 && size + line.length > maxBytes) {
            rotate();
            if (out == null && !open()) {
                return;
            }
        }
        try {
            out.write(line);
            out.flush();
            size += line.length;
            if (reported.remove(Failure.WRITE) | reported.remove(Failure.OPEN)) {
                LOG.info("writing events to {} again", file);
            }
        } catch (IOException e) {
            failed(Failure.WRITE, "cannot write events file " + file + ": " + e.getMessage());
            closeQuietly(); // reopen on the next event: the failure may have been temporary (disk full)
        }
    }

    private boolean open() {
        try {
            createPrivateDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file,
                    Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), privateFile());
            size = channel.size();
            out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            failed(Failure.OPEN, "cannot open events file " + file + ": " + describe(e));
            return false;
        }
    }

    private void rotate() {
        closeQuietly();
        try {
            if (keep == 0) {
                Files.deleteIfExists(file);
            } else {
                Files.deleteIfExists(rotated(keep));
                for (int i = keep - 1; i >= 1; i--) {
                    if (Files.exists(rotated(i))) {
                        Files.move(rotated(i), rotated(i + 1), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                Files.move(file, rotated(1), StandardCopyOption.ATOMIC_MOVE);
            }
            reported.remove(Failure.ROTATE);
        } catch (IOException e) {
            // Keep appending to the file we have rather than lose events; the next event tries again.
            failed(Failure.ROTATE, "cannot rotate events file " + file + ": " + describe(e));
        }
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void failed(Failure kind, String message) {
        if (reported.add(kind)) {
            LOG.warn("{}; events are dropped until this works (logged once)", message);
        } else {
            LOG.debug(message);
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.debug("closing events file {}: {}", file, e.getMessage());
            }
            out = null;
        }
    }

    /** Flushes and closes the file; events published afterwards are dropped. */
    @Override
    public synchronized void close() {
        closed = true;
        closeQuietly();
    }

    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (isPosix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(e.getFile() + " is not a directory", e);
        }
    }

    private FileAttribute<?>[] privateFile() {
        return isPosix(file)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason() + ": " + f.getFile();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
