package dev.tend.kv.embedded;

import dev.tend.kv.support.FileModes;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the store's files and directories that are more open than its mode allows ({@link FileModes}): those Tend
 * created before it made them owner-only, or that someone opened up. It reports them for {@code tend kv check} and
 * changes nothing: a mode is the user's to set. File systems without POSIX permissions are skipped.
 */
final class FileModeCheck {

    private FileModeCheck() {
    }

    /** One line for each of the store's {@code root}, bucket {@code dir} and the entries of {@code dir}. */
    static List<String> widerThanAllowed(Path root, Path dir, FileModes modes) {
        List<String> found = new ArrayList<>();
        if (!root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return found;
        }
        // The store's path may be a link to where it is; links inside are not Tend's and are passed over.
        check(root, modes, found);
        check(dir, modes, found);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                check(p, modes, found, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            found.add("cannot list " + dir + " to check its modes: " + EmbeddedKvStore.reason(e));
        }
        return found;
    }

    private static void check(Path p, FileModes modes, List<String> found, LinkOption... links) {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(p, PosixFileAttributes.class, links);
        } catch (IOException | UnsupportedOperationException e) {
            return; // gone meanwhile, or no modes here
        }
        if (a.isSymbolicLink()) {
            return;
        }
        int expected = a.isDirectory() ? modes.directoryMode() : modes.fileMode();
        int mode = FileModes.bits(a.permissions());
        if ((mode & ~expected & 0777) != 0) {
            found.add(p + " has mode " + FileModes.octal(mode) + ", more open than " + FileModes.octal(expected)
                    + " (store mode " + modes.storeMode().name().toLowerCase(java.util.Locale.ROOT)
                    + "); fix: chmod " + FileModes.octal(expected) + " " + p);
        }
    }
}
