package dev.tend.watchers.archive;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a {@code tar.gz} into a new directory, refusing anything but regular files and directories.
 *
 * <p>Refused, with a one-line message naming the entry: a name containing {@code ..} anywhere (as the reference
 * does) or starting with {@code /}, or one that would land outside the directory; symbolic and hard links, devices,
 * FIFOs and every other entry type; an archive larger than the limits (compressed size, uncompressed stream, one
 * entry, number of entries). On any failure the new directory is removed before the failure is thrown.
 *
 * <p>Modes: the reference creates each file and directory with the mode in its header, less the process's umask (so,
 * with the usual 022, the group's and others' write bits are dropped). Tend keeps the header's bits for the owner and
 * its read and execute bits for the group and others, never their write bits, and never set-user-ID, set-group-ID or
 * sticky bits, whatever the umask; the owner can always read a file and read, write and enter a directory (so that
 * verification and removal work).
 */
final class TarGzExtractor {

    private static final int OWNER_RW = 0600;
    private static final int OWNER_RWX = 0700;
    private static final int KEPT = 0755;

    private final ArchiveLimits limits;

    TarGzExtractor(ArchiveLimits limits) {
        this.limits = limits;
    }

    /**
     * Extracts {@code archive} into a new directory made under {@code parent} and returns it; nothing is left under
     * {@code parent} if this fails.
     */
    Path extract(Path archive, Path parent) throws ArchiveFailure {
        Path into;
        try {
            long size = Files.size(archive);
            if (size > limits.archiveBytes()) {
                throw new ArchiveFailure("archive is " + size + " bytes, over the limit of " + limits.archiveBytes());
            }
            into = Files.createTempDirectory(parent, "extract-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new ArchiveFailure("cannot prepare the extraction: " + IoText.of(e), e);
        }
        try {
            extractInto(archive, into);
            return into;
        } catch (ArchiveFailure | RuntimeException e) {
            Trees.deleteQuietly(into);
            throw e;
        } catch (IOException e) {
            Trees.deleteQuietly(into);
            throw new ArchiveFailure("archive extraction failed: " + IoText.of(e), e);
        }
    }

    private void extractInto(Path archive, Path into) throws IOException, ArchiveFailure {
        Path root = into.toAbsolutePath().normalize();
        try (InputStream file = Files.newInputStream(archive);
             InputStream gunzip = new BoundedStream(new GzipCompressorInputStream(file, true),
                     limits.uncompressedBytes());
             TarArchiveInputStream tar = new TarArchiveInputStream(gunzip)) {
            int count = 0;
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (++count > limits.entries()) {
                    throw new ArchiveFailure("archive has more than " + limits.entries() + " entries");
                }
                Path path = checkedPath(root, entry);
                if (isDirectory(entry)) {
                    if (path.equals(root)) {
                        continue; // "./": the extraction directory itself stays the owner's only
                    }
                    makeDirectory(path, entry.getMode());
                } else {
                    writeFile(tar, entry, path);
                }
            }
        } catch (BoundedStream.OverLimit e) {
            throw new ArchiveFailure("archive is over the limit of " + limits.uncompressedBytes()
                    + " bytes uncompressed");
        }
    }

    /** Where {@code entry} goes under {@code root}, after checking its name and type. */
    private Path checkedPath(Path root, TarArchiveEntry entry) throws ArchiveFailure {
        String name = entry.getName();
        String shown = printable(name);
        if (name.contains("..")) {
            throw new ArchiveFailure("archive entry " + shown + " has '..' in its name");
        }
        if (name.startsWith("/")) {
            throw new ArchiveFailure("archive entry " + shown + " is an absolute path");
        }
        if (!isDirectory(entry) && !isRegular(entry)) {
            throw new ArchiveFailure("archive entry " + shown + " is a " + typeName(entry)
                    + ", only regular files and directories are allowed");
        }
        if (!isDirectory(entry) && entry.getSize() > limits.entryBytes()) {
            throw new ArchiveFailure("archive entry " + shown + " is " + entry.getSize()
                    + " bytes, over the limit of " + limits.entryBytes());
        }
        Path path;
        try {
            path = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw new ArchiveFailure("archive entry " + shown + " has an invalid name");
        }
        if (!path.startsWith(root)) {
            throw new ArchiveFailure("archive entry " + shown + " would land outside the extraction directory");
        }
        return path;
    }

    /**
     * A directory entry, or an old-style one (a regular file's type with a name ending in {@code /}); unlike
     * {@link TarArchiveEntry#isDirectory()}, a link or device whose name ends in {@code /} is not one.
     */
    private static boolean isDirectory(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_DIR || ((flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM)
                && entry.getName().endsWith("/"));
    }

    private static boolean isRegular(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
                || flag == TarConstants.LF_CONTIG) && !entry.getName().endsWith("/");
    }

    private static String typeName(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return "symbolic link";
        }
        if (entry.isLink()) {
            return "hard link";
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            return "device";
        }
        if (entry.isFIFO()) {
            return "FIFO";
        }
        return "entry of type '" + (char) entry.getLinkFlag() + "'";
    }

    private static void makeDirectory(Path dir, int mode) throws IOException {
        makeParents(dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir);
        }
        Files.setPosixFilePermissions(dir, permissions((mode & KEPT) | OWNER_RWX));
    }

    private static void writeFile(InputStream tar, TarArchiveEntry entry, Path file)
            throws IOException, ArchiveFailure {
        makeParents(file);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new ArchiveFailure("archive entry " + printable(entry.getName())
                    + " is a file where the archive has a directory");
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            tar.transferTo(out);
        }
        Files.setPosixFilePermissions(file, permissions((entry.getMode() & KEPT) | OWNER_RW));
    }

    /** Directories an entry needs that the archive has not listed (yet): the owner's only. */
    private static void makeParents(Path path) throws IOException {
        Path parent = path.getParent();
        if (parent != null && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(parent,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                throw new IOException(parent.getFileName() + " is a file where the archive has a directory", e);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /** An entry name for a message: quoted, control characters escaped, cut at 200 characters. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder("'");
        name.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (name.codePointCount(0, name.length()) > 200) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    /** Reads at most {@code limit} bytes of the stream; one more raises {@link OverLimit}. */
    private static final class BoundedStream extends FilterInputStream {

        private final long limit;
        private long read;

        BoundedStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws OverLimit {
            read += n;
            if (read > limit) {
                throw new OverLimit();
            }
        }

        static final class OverLimit extends IOException {
            private static final long serialVersionUID = 1L;
        }
    }
}
