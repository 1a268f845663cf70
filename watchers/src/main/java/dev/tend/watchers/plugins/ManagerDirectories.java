package dev.tend.watchers.plugins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The file system side of managing machines: the manager machines' directories ({@code <prefix>_<name>} in the machines
 * directory, each with one {@code machine.yaml}) and the managed directories ({@code <name>} in the directory the
 * archives are extracted into). Blocking: called from the watcher's blocking work, never its lane.
 */
final class ManagerDirectories {

    static final String MACHINE_FILE = "machine.yaml";

    private final Path machines;
    private final Path managed;
    private final String prefix;

    /**
     * @param machines the machines directory, where the manager machines are written
     * @param managed  where the archives are extracted (the managed machines' parent)
     * @param prefix   the manager machines' prefix, without {@code _}
     */
    ManagerDirectories(Path machines, Path managed, String prefix) {
        this.machines = machines;
        this.managed = managed;
        this.prefix = prefix;
    }

    Path managerDirectory(String name) {
        return machines.resolve(prefix + "_" + name);
    }

    Path managedDirectory(String name) {
        return managed.resolve(name);
    }

    /** The names of the manager machines there are: directories named {@code <prefix>_<name>}, sorted. */
    List<String> current() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(machines)) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                int underscore = file.indexOf('_');
                if (underscore > 0 && file.substring(0, underscore).equals(prefix)
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(file.substring(underscore + 1));
                }
            }
        }
        names.sort(null);
        return names;
    }

    /**
     * Writes the manager machine unless its file already has exactly this content (by SHA-256); a directory whose file
     * differs is removed first, as the reference does.
     *
     * @return whether it was written
     */
    boolean write(String name, String yaml) throws IOException {
        byte[] content = yaml.getBytes(StandardCharsets.UTF_8);
        Path dir = managerDirectory(name);
        Path file = dir.resolve(MACHINE_FILE);
        if (!differs(name, yaml)) {
            return false;
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            removeTree(dir);
        }
        Files.createDirectories(machines);
        createPrivateDirectory(dir);
        Path temporary = dir.resolve("." + MACHINE_FILE + ".tmp");
        try {
            Files.write(temporary, content);
            setMode(temporary, "rw-------");
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            removeTree(dir);
            throw e;
        }
        return true;
    }

    /** Whether {@link #write} would write the manager machine: its file is missing or has other content. */
    boolean differs(String name, String yaml) throws IOException {
        Path file = managerDirectory(name).resolve(MACHINE_FILE);
        return !Files.isRegularFile(file)
                || !Arrays.equals(sha256(Files.readAllBytes(file)), sha256(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    void removeManager(String name) throws IOException {
        removeTree(managerDirectory(name));
    }

    void removeManaged(String name) throws IOException {
        removeTree(managedDirectory(name));
    }

    /** Removes a directory and everything under it, without following links; nothing there is fine. */
    static void removeTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir);
        }
    }

    private static void setMode(Path file, String mode) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // a file system without POSIX modes
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
