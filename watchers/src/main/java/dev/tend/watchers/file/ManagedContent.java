package dev.tend.watchers.file;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.Templates;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keeps a file's content, mode and (when both render non-empty) owner and group as the templates say. The file is
 * rewritten when it is missing, was modified since the last check, or its mode, owner, group or SHA-256 differ: through
 * a temporary file in the same directory, permissions and ownership set before an atomic rename, so readers see the old
 * file or the new one, never a partial one. In noop mode a file that would be written is not: the check logs it and
 * reports the file changed, once for each state of the file and wanted content (later checks find it unchanged, as
 * they would after a real write).
 */
final class ManagedContent implements FileCheck {

    private final Path path;
    private final Templates templates;
    private final String contents;
    private final String owner;
    private final String group;
    private final String mode;
    /** Noop mode: what would be written is logged through this, and nothing is written; null: write. */
    private final Consumer<String> noop;
    /** Noop mode: the file's state and wanted content last reported as a write that was not made. */
    private volatile String lastNoop;

    /**
     * The four templates as written in the properties.
     *
     * @param noop in noop mode, where the file would be written: called with what would be done (the file is not
     *             written, and the check reports it changed); null: write it
     */
    ManagedContent(Path path, Templates templates, String contents, String owner, String group, String mode,
                   Consumer<String> noop) {
        this.path = path;
        this.noop = noop;
        this.templates = templates;
        this.contents = contents;
        this.owner = owner == null ? "" : owner;
        this.group = group == null ? "" : group;
        this.mode = mode == null ? "" : mode;
    }

    @Override
    public Result check(FileTime seen) {
        Wanted wanted;
        try {
            wanted = wanted();
        } catch (IllegalArgumentException | TemplateException e) {
            return Result.error(seen, e.getMessage());
        } catch (IOException e) {
            return Result.error(seen, IoMessages.describe(e));
        }
        String reason;
        try {
            reason = reasonToWrite(seen, wanted);
        } catch (IOException | RuntimeException e) {
            return Result.error(seen, "cannot read " + path + ": " + IoMessages.describe(e));
        }
        if (reason == null) {
            return Result.unchanged(seen);
        }
        if (noop != null) {
            return wouldWrite(seen, wanted, reason);
        }
        try {
            write(wanted);
            return Result.changed(Files.getLastModifiedTime(path), "wrote " + path + " (" + reason + ")");
        } catch (IOException | RuntimeException e) {
            return Result.error(seen, "cannot write " + path + ": " + IoMessages.describe(e));
        }
    }

    /**
     * Noop mode: reports the write that is not made, once for each file as it is and wanted content, so that the
     * watcher's success does not fire on every check (each firing's transition causing the next check) where a real
     * write would have been followed by checks that find the file as wanted.
     */
    private Result wouldWrite(FileTime seen, Wanted wanted, String reason) {
        FileTime now;
        try {
            now = Files.getLastModifiedTime(path);
        } catch (IOException | RuntimeException e) {
            now = null; // missing (or unreadable): what the next check compares with stays as it was
        }
        String key = (now == null ? "missing" : now.toString()) + " " + HexFormat.of().formatHex(
                sha256(wanted.content())) + " " + wanted.permissions() + " " + wanted.owner() + " " + wanted.group();
        FileTime remembered = now == null ? seen : now;
        if (key.equals(lastNoop)) {
            return Result.unchanged(remembered);
        }
        lastNoop = key;
        noop.accept("write " + path + " (" + reason + ")");
        return Result.changed(remembered, "");
    }

    /** What the file should be, rendered now. */
    private record Wanted(byte[] content, Set<PosixFilePermission> permissions, UserPrincipal owner,
                          GroupPrincipal group) {
    }

    private Wanted wanted() throws TemplateException, IOException {
        String renderedMode = render("mode", mode);
        Set<PosixFilePermission> permissions = FileMode.parse(renderedMode);
        byte[] content = render("contents", contents).getBytes(StandardCharsets.UTF_8);
        String user = render("owner", owner).strip();
        String groupName = render("group", group).strip();
        if (user.isEmpty() || groupName.isEmpty()) {
            return new Wanted(content, permissions, null, null); // as the reference: ownership only with both names
        }
        UserPrincipalLookupService names = path.getFileSystem().getUserPrincipalLookupService();
        try {
            UserPrincipal u = names.lookupPrincipalByName(user);
            try {
                return new Wanted(content, permissions, u, names.lookupPrincipalByGroupName(groupName));
            } catch (UserPrincipalNotFoundException e) {
                throw new IllegalArgumentException("group \"" + groupName + "\" does not exist");
            }
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("user \"" + user + "\" does not exist");
        }
    }

    private String render(String property, String template) throws TemplateException {
        if (template == null) {
            return ""; // owner and group may be left out
        }
        try {
            return templates.render(template);
        } catch (TemplateException e) {
            throw new TemplateException(property + ": " + e.getMessage());
        }
    }

    /** Why the file must be written, or null when it is as wanted. */
    private String reasonToWrite(FileTime seen, Wanted wanted) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return "it was missing";
        }
        if (attributes.lastModifiedTime().compareTo(seen) > 0) {
            return "modified since the last check";
        }
        if (!attributes.permissions().equals(wanted.permissions())) {
            return "mode " + FileMode.describe(attributes.permissions()) + " instead of "
                    + FileMode.describe(wanted.permissions());
        }
        if (wanted.owner() != null && !attributes.owner().equals(wanted.owner())) {
            return "owner " + attributes.owner().getName() + " instead of " + wanted.owner().getName();
        }
        if (wanted.group() != null && !attributes.group().equals(wanted.group())) {
            return "group " + attributes.group().getName() + " instead of " + wanted.group().getName();
        }
        if (attributes.size() != wanted.content().length || !Arrays.equals(sha256(path), sha256(wanted.content()))) {
            return "content differs";
        }
        return null;
    }

    private void write(Wanted wanted) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        Path temporary;
        try {
            temporary = Files.createTempFile(directory, ".tend-file-", ".tmp");
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(directory.toString()); // name the directory, not a random file in it
        }
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(wanted.content());
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            PosixFileAttributeView view = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
            view.setPermissions(wanted.permissions());
            if (wanted.owner() != null) {
                view.setOwner(wanted.owner());
                view.setGroup(wanted.group());
            }
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary); // only still there when something failed
        }
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }

    private static byte[] sha256(byte[] content) {
        return sha256().digest(content);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
