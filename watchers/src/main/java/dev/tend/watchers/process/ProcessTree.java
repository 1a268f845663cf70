package dev.tend.watchers.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The processes of one command, and how they are ended. The command runs as the leader of a session of its own
 * ({@code setsid}), so its session id is its pid: every process it starts stays in that session, even in another
 * process group and even after its parent died, unless it calls {@code setsid()} itself (a double fork into a new
 * session, as daemons do). Members are found by scanning {@code /proc} for that session id, plus the leader's
 * descendants by parent link ({@link ProcessHandle#descendants()}, which still catches a child that left the session
 * while its parent lives), plus every process seen before. Signals go through {@link ProcessHandle}, which checks the
 * process's start time, so a pid reused meanwhile is never hit.
 *
 * <p>Matching on the session id is safe: a session id is the pid of the process that created the session, and Linux
 * does not reuse a pid while a session or group of that id exists; while the command has not yet become a session
 * leader, no process has its pid as session id. Without {@code /proc} (not Linux), descendants alone are used.
 */
public final class ProcessTree {

    private static final Path PROC = Path.of("/proc");
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration KILL_PAUSE = Duration.ofMillis(10);
    private static final int KILL_ROUNDS = 100;

    private final ProcessHandle leader;
    /** Every process of the command ever seen, so one whose parent died is still ended. Guarded by {@code this}. */
    private final Set<ProcessHandle> known = new LinkedHashSet<>();

    public ProcessTree(ProcessHandle leader) {
        this.leader = leader;
    }

    /** The command's processes alive now (zombies count as gone: they hold nothing and cannot be signalled). */
    public synchronized List<ProcessHandle> alive() {
        if (isRunning(leader)) {
            known.add(leader);
        }
        leader.descendants().forEach(known::add);
        sessionMembers(leader.pid()).forEach(known::add);
        known.removeIf(p -> !isRunning(p));
        return new ArrayList<>(known);
    }

    /**
     * Whether a process still runs: {@link ProcessHandle#isAlive()} (which also checks the start time, so a reused pid
     * is not mistaken for it) counts a zombie as alive, which matters where nothing reaps orphans (pid 1 of a container).
     */
    public static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Optional<Stat> stat = Stat.read(PROC.resolve(Long.toString(process.pid())).resolve("stat"));
        if (stat.isPresent()) {
            return !stat.get().isZombie();
        }
        return !Files.isDirectory(PROC); // on Linux, no stat file means it is gone; elsewhere isAlive() is all there is
    }

    /**
     * Sends SIGTERM to every process of the command, waits up to {@code grace} for them all to end, then sends SIGKILL
     * until none is left. Blocks; an interrupt skips the rest of the grace.
     *
     * @return the pids still alive at the end (normally none)
     */
    public List<Long> terminate(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        Set<ProcessHandle> termed = new LinkedHashSet<>();
        boolean interrupted = false;
        try {
            while (true) {
                List<ProcessHandle> alive = alive();
                if (alive.isEmpty()) {
                    return List.of();
                }
                for (ProcessHandle p : alive) {
                    if (termed.add(p)) {
                        p.destroy(); // SIGTERM, also to any process that appeared since the last round
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || interrupted) {
                    break;
                }
                interrupted = !pause(Math.min(left, POLL.toNanos()));
            }
            for (int round = 0; round < KILL_ROUNDS; round++) {
                List<ProcessHandle> alive = alive();
                if (alive.isEmpty()) {
                    return List.of();
                }
                alive.forEach(ProcessHandle::destroyForcibly); // SIGKILL
                interrupted |= !pause(KILL_PAUSE.toNanos());
            }
            return alive().stream().map(ProcessHandle::pid).toList();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @return false when interrupted (the flag is cleared; callers restore it) */
    private static boolean pause(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Processes whose session id is {@code sid}, from {@code /proc/<pid>/stat}; zombies and vanished ones skipped. */
    public static List<ProcessHandle> sessionMembers(long sid) {
        List<ProcessHandle> members = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return members;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTree::isPidDirectory)) {
            for (Path entry : entries) {
                Optional<Stat> stat = Stat.read(entry.resolve("stat"));
                if (stat.isPresent() && stat.get().session() == sid && !stat.get().isZombie()) {
                    ProcessHandle.of(stat.get().pid()).ifPresent(members::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: the descendants are still found through parent links
        }
        return members;
    }

    private static boolean isPidDirectory(Path entry) {
        String name = entry.getFileName().toString();
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The fields of {@code /proc/<pid>/stat} used here. */
    public record Stat(long pid, char state, long session) {

        /** A zombie ({@code Z}) or dead ({@code X}) process: exited, waiting to be reaped. */
        public boolean isZombie() {
            return state == 'Z' || state == 'X';
        }

        /** Empty when the process is gone or the file does not parse. */
        public static Optional<Stat> read(Path file) {
            try {
                String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
                // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so split after the last ')'
                int close = text.lastIndexOf(')');
                String[] fields = text.substring(close + 2).split(" ");
                return Optional.of(new Stat(Long.parseLong(text.substring(0, text.indexOf(' '))), fields[0].charAt(0),
                        Long.parseLong(fields[3])));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * util-linux {@code setsid}, which starts a command in a session of its own (so that every process it starts can be
     * found and ended); empty when the system has none.
     */
    public static Optional<Path> setsidProgram() {
        for (String candidate : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
