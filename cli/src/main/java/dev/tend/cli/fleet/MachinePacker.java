package dev.tend.cli.fleet;

import dev.tend.cli.command.CommandException;
import dev.tend.cli.command.ExitCodes;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.load.MachineLoader;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Packs a machine directory as the {@code archive} watcher unpacks it: a reproducible {@code tar.gz}
 * ({@link ReproducibleTarGz}) of one top-level directory, named as the machine, holding the machine's files and a
 * {@value #SUMS} file ({@link Sha256Sums}) that lists every one of them. A {@value #SUMS} at the top of the machine
 * directory is replaced by the one made here. Only regular files and directories are packed: a link or any other
 * kind of file is refused, naming it, as the archive watcher would refuse it.
 */
final class MachinePacker {

    /** The name of the checksums file inside the archive, the manager machines' {@code verify}. */
    static final String SUMS = "SHA256SUMS";

    private final MachineLoader loader;

    MachinePacker(MachineLoader loader) {
        this.loader = loader;
    }

    /**
     * The machine in {@code dir}, after every check {@code tend machine validate} makes: its problems are printed
     * to {@code err} as {@code file:line: ...} (warnings too, as warnings), and an invalid machine fails with one line.
     */
    MachineDefinition validate(Path dir, PrintWriter err) {
        if (!Files.isDirectory(dir)) {
            throw new CommandException(ExitCodes.USAGE, dir + " is not a machine directory (a directory holding a "
                    + "machine.yaml)");
        }
        MachineLoader.Validation v = loader.validate(dir);
        v.errors().forEach(err::println);
        v.warnings().forEach(w -> err.println("warning: " + w));
        err.flush();
        return v.definition().orElseThrow(() -> new CommandException(ExitCodes.USAGE, dir + " is not a valid machine ("
                + v.errors().size() + (v.errors().size() == 1 ? " problem" : " problems") + ", listed above)"));
    }

    /**
     * Writes the archive of {@code dir} to {@code output} (through a temporary file in the same directory, renamed
     * into place) with {@code top} as its one top-level directory.
     */
    Packed pack(Path dir, String top, Path output) {
        try {
            Map<String, ReproducibleTarGz.Entry> entries = entries(dir, top);
            byte[] sums = Sha256Sums.of(top + "/", entries.values()).getBytes(StandardCharsets.UTF_8);
            entries.put(top + "/" + SUMS, ReproducibleTarGz.Entry.bytes(top + "/" + SUMS, sums));
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temp = Files.createTempFile(parent, "." + output.getFileName(), ".tmp");
            try {
                Sha256 archiveSum = new Sha256();
                try (OutputStream file = Files.newOutputStream(temp);
                     DigestOutputStream digest = new DigestOutputStream(file, archiveSum.digest())) {
                    ReproducibleTarGz.write(new ArrayList<>(entries.values()), digest);
                }
                move(temp, output);
                return new Packed(output, archiveSum.hex(), Sha256.hex(sums), Files.size(output));
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CommandException(ExitCodes.FAILURE, "cannot pack " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The entries by their name in the archive, sorted by it (a directory's name ends with '/'). */
    private static TreeMap<String, ReproducibleTarGz.Entry> entries(Path dir, String top) throws IOException {
        TreeMap<String, ReproducibleTarGz.Entry> entries = new TreeMap<>();
        entries.put(top + "/", ReproducibleTarGz.Entry.directory(top));
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(p -> !p.equals(dir)).toList();
        }
        for (Path p : paths) {
            String relative = relative(dir, p);
            String name = top + "/" + relative;
            if (Files.isSymbolicLink(p)) {
                throw new CommandException(ExitCodes.USAGE, "cannot pack " + p + ": a symbolic link (the archive "
                        + "watcher extracts only regular files and directories)");
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                entries.put(name + "/", ReproducibleTarGz.Entry.directory(name));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                String unlistable = Sha256Sums.unlistable(relative);
                if (unlistable != null) {
                    throw new CommandException(ExitCodes.USAGE, "cannot pack " + p + ": " + unlistable);
                }
                if (!relative.equals(SUMS)) {
                    entries.put(name, ReproducibleTarGz.Entry.file(name, p, executable(p)));
                }
            } else {
                throw new CommandException(ExitCodes.USAGE, "cannot pack " + p + ": not a regular file or directory "
                        + "(the archive watcher extracts only those)");
            }
        }
        return entries;
    }

    private static String relative(Path dir, Path p) {
        List<String> parts = new ArrayList<>();
        for (Path part : dir.relativize(p)) {
            parts.add(part.toString());
        }
        return String.join("/", parts);
    }

    private static boolean executable(Path p) throws IOException {
        return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
    }

    /**
     * A packed machine: the archive, its SHA-256 (a specification's {@code checksum}), the SHA-256 of its
     * {@value #SUMS} file (the {@code verify_checksum}) and its size in bytes.
     */
    record Packed(Path archive, String checksum, String verifyChecksum, long bytes) {
    }
}
