package dev.tend.machine.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The check an agent running as root makes before it trusts a machine, like sshd's StrictModes: whoever can write a
 * machine's directory or {@code machine.yaml} can make root run commands, so both must belong to root and be writable by
 * nobody else.
 */
final class StrictPermissions {

    static final String HINT = "(--insecure-permissions turns this check off, for development)";

    private StrictPermissions() {
    }

    /** Why {@code path} (a directory or a file, links followed) cannot be trusted, or empty when it can. */
    static Optional<String> problem(Path path) {
        int uid;
        Set<PosixFilePermission> mode;
        try {
            uid = (Integer) Files.getAttribute(path, "unix:uid");
            mode = Files.getPosixFilePermissions(path);
        } catch (IOException e) {
            return Optional.of("refusing " + path + ": cannot read its owner and permissions: " + e.getMessage());
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.of("refusing " + path + ": this file system has no Unix owner and permissions to check "
                    + HINT);
        }
        if (uid != 0) {
            return Optional.of("refusing " + path + ": it is owned by uid " + uid + ", not root; run chown root "
                    + path + " " + HINT);
        }
        boolean group = mode.contains(PosixFilePermission.GROUP_WRITE);
        boolean others = mode.contains(PosixFilePermission.OTHERS_WRITE);
        if (group || others) {
            String who = group && others ? "group and others" : group ? "its group" : "others";
            return Optional.of("refusing " + path + ": it is writable by " + who + " (" + PosixFilePermissions.toString(mode)
                    + "); run chmod go-w " + path + " " + HINT);
        }
        return Optional.empty();
    }

    /** The first problem of the machine directory, then of its file. */
    static Optional<String> problem(Path dir, Path file) {
        Optional<String> p = problem(dir);
        return p.isPresent() ? p : problem(file);
    }
}
