package dev.tend.watchers.exec;

import dev.tend.machine.json.GoNumbers;
import dev.tend.watchers.process.RunFailure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;

/**
 * The {@code WATCHER_DATA} and {@code WATCHER_FACTS} files of one run: the machine's data and the node's facts as JSON
 * objects, in a directory of their own that only the agent's user can enter (0700, files 0600), created just before the
 * command starts. {@link #close()} removes them, whatever happened to the run.
 */
final class RunFiles implements AutoCloseable {

    /** Numbers as Choria writes them: scripts read these files. */
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(GoNumbers.module()).build();
    private static final FileAttribute<?> PRIVATE_DIRECTORY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;
    private final Path data;
    private final Path facts;
    private final Logger log;

    private RunFiles(Path directory, Logger log) {
        this.directory = directory;
        this.data = directory.resolve("data.json");
        this.facts = directory.resolve("facts.json");
        this.log = log;
    }

    /**
     * @param root where to make the run's directory (the system's temporary directory)
     * @throws RunFailure when the files cannot be written; nothing is left behind
     */
    static RunFiles create(Path root, Map<String, Object> data, Map<String, Object> facts, Logger log)
            throws RunFailure {
        RunFiles files;
        try {
            files = new RunFiles(Files.createTempDirectory(root, "tend-exec-", PRIVATE_DIRECTORY), log);
        } catch (IOException | UnsupportedOperationException e) {
            throw new RunFailure("cannot create a private directory for WATCHER_DATA and WATCHER_FACTS in " + root
                    + ": " + e);
        }
        try {
            write(files.data, data);
            write(files.facts, facts);
            return files;
        } catch (IOException e) {
            files.close();
            throw new RunFailure("cannot write WATCHER_DATA and WATCHER_FACTS in " + files.directory + ": " + e);
        }
    }

    Path data() {
        return data;
    }

    Path facts() {
        return facts;
    }

    /** Removes the files and their directory; a failure is logged, never thrown. Idempotent. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(data);
            Files.deleteIfExists(facts);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            log.warn("cannot remove {} (WATCHER_DATA and WATCHER_FACTS of a finished run): {}", directory, e.toString());
        }
    }

    private static void write(Path file, Map<String, Object> values) throws IOException {
        byte[] json = JSON.writeValueAsBytes(values);
        try (SeekableByteChannel out = Files.newByteChannel(file,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE_FILE)) {
            ByteBuffer buffer = ByteBuffer.wrap(json);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }
}
