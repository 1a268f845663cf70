package dev.tend.kv.support;

import dev.tend.kv.StoreMode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How Tend creates the files and directories of an embedded store (and of a backup) for a {@link StoreMode}: files
 * 0600 or 0660, directories 0700 or 2770. Each is created with its permissions, so no other user can open it before
 * its mode is right, and then given exactly that mode: the umask may have taken bits away, never added any. A file
 * already there keeps its mode. Where the file system has no POSIX permissions, everything is created plainly.
 *
 * @param storeMode who may read and write
 */
public record FileModes(StoreMode storeMode) {

    /** Files and directories for their owner only. */
    public static final FileModes OWNER = new FileModes(StoreMode.OWNER);

    private static final int SET_GROUP_ID = 02000;

    /** The permissions from chmod's highest bit (0400) down; a class of its own, loaded only to create a file. */
    private static final class Bits {
        static final PosixFilePermission[] HIGH_TO_LOW = {
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE};

        private Bits() {
        }
    }

    public FileModes {
        if (storeMode == null) {
            throw new IllegalArgumentException("storeMode is required");
        }
    }

    /** The mode files are created with: 0600, or 0660 for the group. */
    public int fileMode() {
        return storeMode == StoreMode.GROUP ? 0660 : 0600;
    }

    /** The mode directories are created with: 0700, or 2770 (set-group-ID, so the group sticks) for the group. */
    public int directoryMode() {
        return storeMode == StoreMode.GROUP ? SET_GROUP_ID | 0770 : 0700;
    }

    /** Creates a new file, failing when it exists, and opens it with {@code options} (writable in any case). */
    public FileChannel create(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> o = new HashSet<>(List.of(options));
        o.remove(StandardOpenOption.CREATE);
        o.add(StandardOpenOption.CREATE_NEW);
        o.add(StandardOpenOption.WRITE);
        FileChannel channel = FileChannel.open(file, o, attributes(file, fileMode()));
        setExactly(file, fileMode());
        return channel;
    }

    /**
     * Opens {@code file} with {@code options}, creating it as {@link #create} does when it does not exist. An
     * existing file costs what a plain open does (processes open a bucket's files on every command).
     */
    public FileChannel openOrCreate(Path file, OpenOption... options) throws IOException {
        Set<OpenOption> existing = new HashSet<>(List.of(options));
        existing.remove(StandardOpenOption.CREATE);
        while (true) {
            try {
                return FileChannel.open(file, existing);
            } catch (NoSuchFileException absent) {
                try {
                    return create(file, options);
                } catch (FileAlreadyExistsException raced) {
                    // Another process created it meanwhile: open theirs.
                }
            }
        }
    }

    /** Creates a directory (its parent must exist), failing when it exists. */
    public void createDirectory(Path dir) throws IOException {
        Files.createDirectory(dir, attributes(dir, directoryMode()));
        setExactly(dir, directoryMode());
    }

    /**
     * Creates {@code dir} unless it is a directory already; its missing parents are created plainly, as they are
     * not the store's (say {@code /var/lib/tend} of {@code /var/lib/tend/kv}).
     */
    public void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** A mode as chmod takes it, e.g. {@code 0644}, {@code 2770}. */
    public static String octal(int mode) {
        return String.format("%04o", mode);
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] attributes(Path p, int mode) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions(mode))}
                : new FileAttribute<?>[0];
    }

    /** The nine permission bits of {@code mode}. */
    public static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < Bits.HIGH_TO_LOW.length; i++) {
            if ((mode & (0400 >> i)) != 0) {
                s.add(Bits.HIGH_TO_LOW[i]);
            }
        }
        return s;
    }

    /** The nine permission bits as a number. */
    public static int bits(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (int i = 0; i < Bits.HIGH_TO_LOW.length; i++) {
            if (permissions.contains(Bits.HIGH_TO_LOW[i])) {
                mode |= 0400 >> i;
            }
        }
        return mode;
    }

    /**
     * Gives a file just created (still empty) exactly {@code mode}: creation applied the umask, which may have
     * taken group bits away. The set-group-ID bit needs the {@code unix} view, which the JDK has on Linux and macOS.
     * If the file system refuses (some mounts take no modes), the file keeps the mode it was created with, which is
     * never wider than {@code mode}.
     */
    private static void setExactly(Path p, int mode) {
        if (!posix(p)) {
            return;
        }
        try {
            if ((mode & SET_GROUP_ID) != 0) {
                try {
                    Files.setAttribute(p, "unix:mode", mode);
                    return;
                } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
                    // Without it, the permission bits at least.
                }
            }
            Files.setPosixFilePermissions(p, permissions(mode));
        } catch (IOException | UnsupportedOperationException e) {
            // Kept as created: narrower at worst.
        }
    }
}
