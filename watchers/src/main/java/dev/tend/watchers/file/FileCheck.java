package dev.tend.watchers.file;

import java.nio.file.attribute.FileTime;

/** One active check of the file: change detection, or content management. */
interface FileCheck {

    /**
     * @param seen the modification time remembered from earlier checks ({@link FileTime} 0 when none)
     * @return what was found and the modification time to remember
     */
    Result check(FileTime seen);

    /**
     * @param outcome {@link FileOutcome#CHANGED}, {@link FileOutcome#UNCHANGED} or {@link FileOutcome#ERROR}
     * @param seen    the modification time to remember from now on
     * @param detail  for an error: what went wrong, one line; otherwise what was done, or empty
     */
    record Result(FileOutcome outcome, FileTime seen, String detail) {
        static Result changed(FileTime seen, String detail) {
            return new Result(FileOutcome.CHANGED, seen, detail);
        }

        static Result unchanged(FileTime seen) {
            return new Result(FileOutcome.UNCHANGED, seen, "");
        }

        static Result error(FileTime seen, String detail) {
            return new Result(FileOutcome.ERROR, seen, detail);
        }
    }
}
