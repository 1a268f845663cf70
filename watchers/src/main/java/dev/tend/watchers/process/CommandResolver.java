package dev.tend.watchers.process;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the file a command's first word names, so the child is started by absolute path. A word with a {@code /} is a
 * path: absolute, or relative to the machine directory (the command's working directory). A bare name is looked up in
 * each directory of the command's {@code PATH} in order (by default the agent's {@code PATH} then the machine directory;
 * an empty or relative entry counts from the machine directory), then in the machine directory itself if the
 * {@code PATH} did not include it, so a machine's own scripts are found by name as the reference's documentation
 * promises. The first regular file that is executable wins.
 */
public final class CommandResolver {

    private CommandResolver() {
    }

    /**
     * @param word             the command's first word
     * @param path             the command's {@code PATH}
     * @param machineDirectory absolute
     * @throws RunFailure when nothing executable is found
     */
    public static Path resolve(String word, String path, Path machineDirectory) throws RunFailure {
        try {
            if (word.indexOf('/') >= 0) {
                Path file = machineDirectory.resolve(word).normalize();
                if (!Files.exists(file)) {
                    throw new RunFailure("command " + MessageQuotes.quote(word) + " not found: " + file
                            + " does not exist");
                }
                check(word, file);
                return file;
            }
            Set<Path> directories = new LinkedHashSet<>();
            for (String entry : path.split(":", -1)) {
                directories.add(machineDirectory.resolve(entry).normalize());
            }
            directories.add(machineDirectory);
            Path unusable = null;
            for (Path directory : directories) {
                Path file = directory.resolve(word);
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return file;
                }
                if (unusable == null && Files.exists(file)) {
                    unusable = file;
                }
            }
            if (unusable != null) {
                check(word, unusable);
            }
            throw new RunFailure("command " + MessageQuotes.quote(word) + " not found in PATH (" + path
                    + ") or the machine directory");
        } catch (InvalidPathException e) {
            throw new RunFailure("command " + MessageQuotes.quote(word) + " is not a valid file name: "
                    + e.getReason());
        }
    }

    private static void check(String word, Path file) throws RunFailure {
        if (Files.isDirectory(file)) {
            throw new RunFailure("command " + MessageQuotes.quote(word) + " is a directory: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new RunFailure("command " + MessageQuotes.quote(word) + " is not a regular file: " + file);
        }
        if (!Files.isExecutable(file)) {
            throw new RunFailure("command " + MessageQuotes.quote(word) + " is not executable: " + file
                    + " (chmod +x it, or run it through its interpreter, e.g. sh " + word + ")");
        }
    }
}
