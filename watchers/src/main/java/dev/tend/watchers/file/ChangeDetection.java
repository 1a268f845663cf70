package dev.tend.watchers.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Reports a file whose modification time is newer than the one remembered as changed, and a file that cannot be read
 * (missing, or any other error) as an error, forgetting the time so that its return counts as a change. Only the
 * modification time is compared, as in the reference.
 */
final class ChangeDetection implements FileCheck {

    static final FileTime NONE = FileTime.fromMillis(0);

    private final Path path;

    ChangeDetection(Path path) {
        this.path = path;
    }

    @Override
    public Result check(FileTime seen) {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(path);
        } catch (IOException | RuntimeException e) {
            return Result.error(NONE, IoMessages.describe(e));
        }
        if (modified.compareTo(seen) > 0) {
            return Result.changed(modified, "");
        }
        return Result.unchanged(seen);
    }
}
