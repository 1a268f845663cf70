package dev.tend.watchers.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The check an agent running as root makes before it runs a command file, like sshd's StrictModes: whoever can write
 * the file can make root run anything, so it must belong to root and be writable by nobody else. docs/watchers.md
 * (section {@code exec}, "The command") describes it for users; docs/machines.md ("The agent") the agent's own check of
 * machine directories, which this one follows.
 *
 * <p>The agent's {@code --insecure-permissions} does not reach watchers (the SPI does not carry it), so the check
 * follows from what the agent did: it refuses machine directories that fail the same test unless that option is given.
 * A machine directory that fails it therefore means the check is off, and then commands are not checked either.
 * {@code tend machine run} does not check directories, so there the command is checked whenever the directory passes.
 */
public final class CommandTrust {

    private CommandTrust() {
    }

    /**
     * @param root whether the agent runs as root
     * @return why {@code command} must not be run, or empty
     */
    public static Optional<String> problem(Path command, Path machineDirectory, boolean root) {
        if (!root || why(machineDirectory).isPresent()) {
            return Optional.empty();
        }
        return why(command).map(reason -> "refusing to run " + command + " as root: " + reason
                + " (an agent started with --insecure-permissions skips this check)");
    }

    private static Optional<String> why(Path path) {
        int uid;
        Set<PosixFilePermission> mode;
        try {
            uid = (Integer) Files.getAttribute(path, "unix:uid");
            mode = Files.getPosixFilePermissions(path);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.of("cannot read its owner and permissions: " + e.getMessage());
        }
        if (uid != 0) {
            return Optional.of("it is owned by uid " + uid + ", not root");
        }
        boolean group = mode.contains(PosixFilePermission.GROUP_WRITE);
        boolean others = mode.contains(PosixFilePermission.OTHERS_WRITE);
        if (group || others) {
            String who = group && others ? "its group and others" : group ? "its group" : "others";
            return Optional.of("it is writable by " + who + " (" + PosixFilePermissions.toString(mode) + ")");
        }
        return Optional.empty();
    }

    /** Whether this process runs with effective uid 0 ({@code /proc/self} belongs to it on Linux). */
    public static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (uid instanceof Integer n) {
                return n == 0;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            // not Linux: the user name is the best there is
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
