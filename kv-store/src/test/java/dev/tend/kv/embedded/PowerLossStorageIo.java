package dev.tend.kv.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A {@link StorageIo} for tests that simulates a power loss. It passes every operation to {@link NioStorageIo}
 * and remembers, per file (per inode: a rename carries it along), the content as of its last
 * {@link DataFile#force()}. It counts the mutating operations (open for writing, write, truncate, force, move,
 * directory sync); when the count reaches the chosen crash point the operation fails with {@link SimulatedCrash}
 * (or, with {@link #crashAsIOException()}, a {@link SimulatedCrashIOException}; a write first writes a random
 * prefix of its bytes) and so does every operation after it, reads included: the machine is down.
 * {@link #simulatePowerLoss} then rewrites every file to what a disk could hold after the power came back: the
 * last forced content, sometimes plus a random prefix of the unforced bytes (a torn record) or zeros (a size
 * update that made it without its data), and deletes, zeroes or keeps the memory-mapped {@code head} files,
 * which are never forced.
 *
 * <p>The real force is skipped: this layer decides what survives, and skipping fsync keeps hundreds of crash
 * runs fast. With {@code strictDirectories}, file creations and renames are durable only once their directory
 * was synced ({@link StorageIo#syncDirectory}); at the power loss a random prefix of the unsynced ones survives
 * (journaling file systems keep metadata operations in order), the rest are undone.
 *
 * <p>Not modelled: deletions and directories made outside this layer (the engine deletes with
 * {@code Files.delete}), which are taken as durable at once.
 */
final class PowerLossStorageIo implements StorageIo {

    /** The simulated machine stopped. An Error, so engine code that handles IOException does not swallow it. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    /**
     * The same stop as an IOException, for tests where threads go on after the crash point (a real power loss
     * stops them all): then the engine's ordinary I/O error handling runs, and no thread can return success for
     * a write that was not forced.
     */
    static final class SimulatedCrashIOException extends IOException {
        SimulatedCrashIOException(String message) {
            super(message);
        }
    }

    /** One file's identity: what survives a power loss follows the inode through renames. */
    private static final class Inode {
        final int id;
        byte[] forced;

        Inode(int id, byte[] forced) {
            this.id = id;
            this.forced = forced;
        }

        @Override
        public String toString() {
            return "inode " + id + " (" + forced.length + " bytes forced)";
        }
    }

    /** A creation or rename not yet made durable by a directory sync. */
    private record MetaOp(boolean create, Path from, Path to, Inode inode, Inode replaced) {
        Path dir() {
            return to.getParent();
        }
    }

    private final StorageIo real = new NioStorageIo();
    private final boolean strictDirectories;
    private final Random tornRandom;
    private final Map<Path, Inode> files = new HashMap<>();
    private final List<MetaOp> unsynced = new ArrayList<>();
    private final List<String> opLog = new ArrayList<>();
    private long crashAt = Long.MAX_VALUE;
    private long ops;
    private boolean crashed;
    private int nextInode = 1;
    private boolean crashAsIOException;

    /**
     * @param strictDirectories creations and renames need a directory sync to survive
     * @param seed              drives the torn prefix of a crashing write and the power-loss choices
     */
    PowerLossStorageIo(boolean strictDirectories, long seed) {
        this.strictDirectories = strictDirectories;
        this.tornRandom = new Random(seed);
    }

    /** Report the crash and the down machine with {@link SimulatedCrashIOException} instead of an Error. */
    synchronized PowerLossStorageIo crashAsIOException() {
        this.crashAsIOException = true;
        return this;
    }

    private synchronized void die(String message) throws IOException {
        if (crashAsIOException) {
            throw new SimulatedCrashIOException(message);
        }
        throw new SimulatedCrash(message);
    }

    /** The mutating operation (1-based) that crashes; {@link Long#MAX_VALUE} for none. */
    synchronized PowerLossStorageIo crashAt(long operation) {
        this.crashAt = operation;
        return this;
    }

    /** Mutating operations so far (including the one that crashed). */
    synchronized long operations() {
        return ops;
    }

    synchronized boolean crashed() {
        return crashed;
    }

    /** The operations so far, one line each, for failure messages. */
    synchronized List<String> opLog() {
        return List.copyOf(opLog);
    }

    /**
     * Counts a mutating operation; returns true when this is the one that crashes (the caller may do part of it,
     * then throws). Throws when the machine is already down.
     */
    private synchronized boolean mutating(String what) throws IOException {
        if (crashed) {
            die("machine is down (after operation " + ops + "), refused: " + what);
        }
        ops++;
        opLog.add(ops + " " + what);
        if (ops >= crashAt) {
            crashed = true;
            opLog.set(opLog.size() - 1, ops + " " + what + "  <-- CRASH");
            return true;
        }
        return false;
    }

    private synchronized void reading(String what) throws IOException {
        if (crashed) {
            die("machine is down (after operation " + ops + "), refused: " + what);
        }
    }

    private static String name(Path p) {
        Path parent = p.getParent();
        return (parent == null ? "" : parent.getFileName() + "/") + p.getFileName();
    }

    @Override
    public DataFile open(Path path, boolean write) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        if (!write) {
            reading("open " + name(p));
            DataFile d = real.open(p, false);
            synchronized (this) {
                Inode inode = files.get(p);
                if (inode == null) {
                    inode = new Inode(nextInode++, Files.readAllBytes(p));
                    files.put(p, inode);
                }
                return new File(d, p, inode);
            }
        }
        if (mutating("open-rw " + name(p))) {
            die("crash opening " + p);
            throw new AssertionError("unreachable");
        }
        synchronized (this) {
            boolean existed = Files.exists(p);
            DataFile d = real.open(p, true);
            Inode inode = files.get(p);
            if (inode == null || !existed) {
                inode = new Inode(nextInode++, existed ? Files.readAllBytes(p) : new byte[0]);
                files.put(p, inode);
                if (!existed) {
                    unsynced.add(new MetaOp(true, null, p, inode, null));
                }
            }
            return new File(d, p, inode);
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        Path f = from.toAbsolutePath().normalize();
        Path t = to.toAbsolutePath().normalize();
        if (mutating("move " + name(f) + " -> " + name(t))) {
            die("crash moving " + f + " to " + t);
            throw new AssertionError("unreachable");
        }
        synchronized (this) {
            Inode moved = files.get(f);
            if (moved == null && Files.exists(f)) {
                moved = new Inode(nextInode++, Files.readAllBytes(f)); // written outside this layer: take as is
            }
            Inode replaced = files.get(t);
            if (replaced == null && Files.exists(t)) {
                replaced = new Inode(nextInode++, Files.readAllBytes(t));
            }
            real.move(f, t);
            files.remove(f);
            if (moved != null) {
                files.put(t, moved);
            }
            unsynced.add(new MetaOp(false, f, t, moved, replaced));
        }
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        if (mutating("sync-dir " + d.getFileName())) {
            die("crash syncing directory " + d);
            throw new AssertionError("unreachable");
        }
        synchronized (this) {
            unsynced.removeIf(op -> op.dir().equals(d) && (op.create() || op.from().getParent().equals(d)));
        }
    }

    /**
     * Rewrites the files under {@code root} to what survives a power loss now, and stops the machine for good.
     * Returns a description of what was chosen, for failure messages.
     */
    synchronized String simulatePowerLoss(Path root, Random rnd) throws IOException {
        crashed = true;
        StringBuilder report = new StringBuilder();
        Set<Path> restored = new HashSet<>();
        // What each inode holds now (before any undo moves inodes between paths).
        Map<Inode, byte[]> current = new HashMap<>();
        for (Map.Entry<Path, Inode> e : files.entrySet()) {
            if (Files.exists(e.getKey())) {
                current.put(e.getValue(), Files.readAllBytes(e.getKey()));
            }
        }
        if (strictDirectories && !unsynced.isEmpty()) {
            int keep = rnd.nextInt(unsynced.size() + 1);
            report.append("unsynced metadata operations: ").append(unsynced.size()).append(", kept ").append(keep)
                    .append('\n');
            for (int i = unsynced.size() - 1; i >= keep; i--) {
                MetaOp op = unsynced.get(i);
                if (op.create()) {
                    if (files.get(op.to()) == op.inode()) {
                        files.remove(op.to());
                        Files.deleteIfExists(op.to());
                        restored.remove(op.to());
                        report.append("  undone: create ").append(name(op.to())).append('\n');
                    }
                } else {
                    if (op.inode() != null && files.get(op.to()) == op.inode()) {
                        if (op.replaced() != null) {
                            files.put(op.to(), op.replaced());
                            restored.add(op.to());
                        } else {
                            files.remove(op.to());
                            Files.deleteIfExists(op.to());
                            restored.remove(op.to());
                        }
                        files.put(op.from(), op.inode());
                        restored.add(op.from());
                        report.append("  undone: move ").append(name(op.from())).append(" -> ")
                                .append(name(op.to())).append('\n');
                    }
                }
            }
        }
        unsynced.clear();
        Map<Path, Inode> sorted = new LinkedHashMap<>();
        files.keySet().stream().sorted().forEach(p -> sorted.put(p, files.get(p)));
        for (Map.Entry<Path, Inode> e : sorted.entrySet()) {
            Path p = e.getKey();
            Inode inode = e.getValue();
            if (!p.startsWith(root)) {
                continue;
            }
            boolean exists = Files.exists(p);
            if (!exists && (!restored.contains(p) || !Files.isDirectory(p.getParent()))) {
                files.remove(p); // deleted by the engine (outside this layer), or its directory was
                continue;
            }
            byte[] now = current.getOrDefault(inode, inode.forced);
            int forcedLength = inode.forced.length;
            byte[] after = survivor(inode.forced, now, rnd);
            Files.write(p, after, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            inode.forced = after;
            report.append("  ").append(name(p)).append(": forced ").append(forcedLength)
                    .append(" / current ").append(now.length).append(" -> ").append(after.length).append(" bytes")
                    .append('\n');
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String n = p.getFileName().toString();
                if (n.equals("head") || n.startsWith("head.")) {
                    int choice = rnd.nextInt(4);
                    switch (choice) {
                        case 0 -> {
                            Files.delete(p);
                            report.append("  ").append(name(p)).append(": deleted\n");
                        }
                        case 1 -> {
                            Files.write(p, new byte[(int) Files.size(p)]);
                            report.append("  ").append(name(p)).append(": zeroed\n");
                        }
                        default -> report.append("  ").append(name(p)).append(": kept as is\n");
                    }
                } else if (!files.containsKey(p.toAbsolutePath().normalize())) {
                    report.append("  ").append(name(p)).append(": untracked, kept (").append(Files.size(p))
                            .append(" bytes)\n");
                }
            }
        }
        return report.toString();
    }

    /** What of a file survives: its forced content, maybe plus a torn part of what was not forced. */
    private static byte[] survivor(byte[] forced, byte[] current, Random rnd) {
        if (java.util.Arrays.equals(forced, current) || rnd.nextInt(3) == 0) {
            return forced.clone();
        }
        int common = 0;
        int max = Math.min(forced.length, current.length);
        while (common < max && forced[common] == current[common]) {
            common++;
        }
        if (common == forced.length && current.length > forced.length) {
            // Appended since the last force: a prefix of the new bytes made it, or only the size did (zeros).
            int extra = 1 + rnd.nextInt(current.length - forced.length);
            byte[] out = java.util.Arrays.copyOf(forced, forced.length + extra);
            if (rnd.nextInt(5) != 0) {
                System.arraycopy(current, forced.length, out, forced.length, extra);
            }
            return out;
        }
        if (common == current.length) {
            // Truncated since the last force: the truncation may or may not have made it.
            return rnd.nextBoolean() ? current.clone() : forced.clone();
        }
        // Overwritten in place since the last force: a prefix of the new bytes from the first difference.
        int span = 1 + rnd.nextInt(current.length - common);
        byte[] out = java.util.Arrays.copyOf(forced, Math.max(forced.length, common + span));
        System.arraycopy(current, common, out, common, span);
        return out;
    }

    /** A data file whose force records its content as durable. */
    private final class File implements DataFile {
        private final DataFile d;
        private final Path path;
        private final Inode inode;

        File(DataFile d, Path path, Inode inode) {
            this.d = d;
            this.path = path;
            this.inode = inode;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            reading("read " + name(path));
            return d.read(dst, position);
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            if (mutating("write " + name(path) + " @" + position + " +" + src.remaining())) {
                int part;
                synchronized (PowerLossStorageIo.this) {
                    part = src.remaining() == 0 ? 0 : tornRandom.nextInt(src.remaining());
                }
                ByteBuffer prefix = src.duplicate();
                prefix.limit(prefix.position() + part);
                d.write(prefix, position);
                die("crash writing " + path + " at " + position + " (" + part + " of "
                        + src.remaining() + " bytes written)");
                throw new AssertionError("unreachable");
            }
            d.write(src, position);
        }

        @Override
        public long size() throws IOException {
            reading("size " + name(path));
            return d.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            if (mutating("truncate " + name(path) + " to " + size)) {
                die("crash truncating " + path);
                throw new AssertionError("unreachable");
            }
            d.truncate(size);
        }

        @Override
        public void force() throws IOException {
            if (mutating("force " + name(path))) {
                die("crash forcing " + path);
                throw new AssertionError("unreachable");
            }
            // The copy and its recording as one step: of two forces in different threads (a hand-off holder's and a
            // direct writer's), the one that copies first must not record last, or what was forced would seem to
            // shrink, as a real force's never does.
            synchronized (PowerLossStorageIo.this) {
                long size = d.size();
                if (size > Integer.MAX_VALUE) {
                    throw new UncheckedIOException(new IOException("test file too large: " + size));
                }
                ByteBuffer all = ByteBuffer.allocate((int) size);
                d.readFully(all, 0);
                inode.forced = all.array();
            }
        }

        @Override
        public void close() throws IOException {
            d.close(); // always allowed: releases the descriptor even when the machine is down
        }
    }
}
