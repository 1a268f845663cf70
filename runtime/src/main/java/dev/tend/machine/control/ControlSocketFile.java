package dev.tend.machine.control;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The control socket's file: made owner-only in a directory made owner-only, replacing a stale one and refusing to
 * take over a live one; removed again only while it is still the one this server made.
 */
final class ControlSocketFile {
    private static final Logger LOG = LoggerFactory.getLogger(ControlSocketFile.class);

    private final Path path;
    private final Object fileKey;

    private ControlSocketFile(Path path, Object fileKey) {
        this.path = path;
        this.fileKey = fileKey;
    }

    /**
     * Binds a listening socket at {@code path}: under a temporary name in the same directory first, made 0600, then
     * renamed into place, so the socket is never reachable with wider permissions and never half there.
     */
    static ControlSocketFile bind(Path path, ServerSocketChannel server) throws IOException {
        Path dir = path.getParent();
        createDirectory(path, dir);
        checkExisting(path);
        Path temp = dir.resolve(".tend-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36));
        try {
            server.bind(UnixDomainSocketAddress.of(temp));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot listen on " + path + ": " + reason(e), e);
        }
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new ControlSocketFile(path, key);
        } catch (IOException | UnsupportedOperationException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot listen on " + path + ": " + reason(e), e);
        }
    }

    Path path() {
        return path;
    }

    /** Removes the socket file, unless another process has put its own there meanwhile. */
    void remove() {
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(now, fileKey)) {
                Files.delete(path);
            } else {
                LOG.warn("control socket {} was replaced by another process; leaving it", path);
            }
        } catch (NoSuchFileException e) {
            LOG.debug("control socket {} was already removed", path);
        } catch (IOException e) {
            LOG.warn("cannot remove the control socket {}: {}", path, reason(e));
        }
    }

    /** The socket's directory, created owner-only (0700) with any missing parents when it does not exist. */
    private static void createDirectory(Path path, Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            // The attribute passes through the umask, which could only remove bits; make the mode exact.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot create the directory of the control socket " + path + ": " + reason(e), e);
        }
    }

    /** A socket file already there: a live agent's is refused, a stale one is removed, anything else refused. */
    private static void checkExisting(Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attributes.isOther()) {
            throw new IOException("cannot listen on " + path + ": it exists and is not a socket (move it away or"
                    + " choose another --socket)");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            throw new IOException("another agent is already listening on " + path);
        } catch (ConnectException refused) {
            LOG.info("replacing the stale control socket {} (nothing listens on it)", path);
            Files.deleteIfExists(path);
        } catch (SocketException e) {
            throw new IOException("cannot listen on " + path + ": cannot check the socket already there: "
                    + reason(e), e);
        }
    }

    /** A short reason for an I/O error, without the exception's class. */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
