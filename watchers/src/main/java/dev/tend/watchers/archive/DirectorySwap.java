package dev.tend.watchers.archive;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Puts a new directory in place of {@code target/creates} by rename. The reference removes the old directory first
 * and then renames the new one in, so a failed rename leaves nothing. Here the old one is first renamed aside into
 * the private temporary directory, the new one renamed in, and only then is the old one removed; if the second rename
 * fails, the old one is renamed back. The new directory must be on the same file system as {@code target} (it is
 * made under {@code target/tmp}); a move that would copy is refused.
 */
final class DirectorySwap {

    private DirectorySwap() {
    }

    /**
     * Renames {@code fresh} to {@code target/creates}, creating {@code target} (0700) when missing; the old directory
     * goes aside into {@code scratch} and is removed.
     */
    static void swap(Path fresh, Path target, String creates, Path scratch) throws ArchiveFailure {
        Path destination = target.resolve(creates);
        Path aside = scratch.resolve("previous");
        boolean moved = false;
        try {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(target,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(destination, aside, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
            }
            Files.move(fresh, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            String why = e instanceof AtomicMoveNotSupportedException ? "not on one file system" : IoText.of(e);
            if (moved) {
                try {
                    Files.move(aside, destination, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException restore) {
                    throw new ArchiveFailure("rename into " + destination + " failed (" + why
                            + ") and the previous directory could not be put back: " + IoText.of(restore), e);
                }
            }
            throw new ArchiveFailure("rename into " + destination + " failed: " + why, e);
        }
        if (moved) {
            Trees.deleteQuietly(aside);
        }
    }
}
