package dev.tend.watchers.prometheus;

import org.slf4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A Prometheus textfile (read by a node exporter's textfile collector) written whole and atomically: the text goes to a
 * temporary file in the same directory (its name starts with {@code .} and ends with {@code .tmp}, so the collector,
 * which reads {@code *.prom}, never sees it), made mode 0644, then renamed over the file. A collector reads the old
 * file or the new one, never half of one. Failures are logged, not thrown: a textfile is a by-product.
 */
public final class Textfile {

    private Textfile() {
    }

    /**
     * Writes {@code directory/name}; nothing while the directory does not exist.
     *
     * @param log where a failure is reported (a warning) and a missing directory (debug)
     * @return whether the file was written
     */
    public static boolean write(Path directory, String name, String text, Logger log) {
        if (!Files.isDirectory(directory)) {
            log.debug("not writing {}: {} is not a directory", name, directory);
            return false;
        }
        Path target = directory.resolve(name);
        Path temp = null;
        try {
            temp = Files.createTempFile(directory, "." + name + "-", ".tmp");
            Files.write(temp, text.getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("cannot write the textfile {}: {}", target, e.toString());
            return false;
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    log.debug("cannot remove {}: {}", temp, e.toString());
                }
            }
        }
    }

    /** Removes {@code directory/name} if it exists. */
    public static void delete(Path directory, String name, Logger log) {
        Path target = directory.resolve(name);
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            log.warn("cannot remove the textfile {}: {}", target, e.toString());
        }
    }
}
