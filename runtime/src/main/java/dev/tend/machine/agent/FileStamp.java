package dev.tend.machine.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * What {@code stat} says about a machine's file and directory. When it equals the stamp of the last look, neither the
 * file's content nor the ownership or permissions of either changed, so a periodic scan need not read and hash the file
 * again. Uses Linux's {@code unix} attributes (the change time covers chmod and chown); elsewhere the basic ones. The
 * directory's times are left out on purpose: watchers create files in their machine's directory all the time.
 */
record FileStamp(String file, String directory) {

    /** The stamp of {@code dir} and its {@code file}, or {@code null} when either cannot be read (e.g. no file). */
    static FileStamp of(Path dir, Path file) {
        try {
            return new FileStamp(fileStamp(file), directoryStamp(dir));
        } catch (IOException e) {
            return null;
        }
    }

    private static String fileStamp(Path path) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size,lastModifiedTime,ctime,mode,uid");
            return a.get("dev") + ":" + a.get("ino") + ":" + a.get("size") + ":" + a.get("lastModifiedTime") + ":"
                    + a.get("ctime") + ":" + a.get("mode") + ":" + a.get("uid");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return a.fileKey() + ":" + a.size() + ":" + a.lastModifiedTime();
        }
    }

    private static String directoryStamp(Path path) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,mode,uid");
            return a.get("dev") + ":" + a.get("ino") + ":" + a.get("mode") + ":" + a.get("uid");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return String.valueOf(Files.readAttributes(path, BasicFileAttributes.class).fileKey());
        }
    }
}
