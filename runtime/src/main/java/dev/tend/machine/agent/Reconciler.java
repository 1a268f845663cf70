package dev.tend.machine.agent;

import dev.tend.machine.LoadFailure;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.input.BoundedFile;
import dev.tend.machine.input.FileTooLargeException;
import dev.tend.machine.load.MachineLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Makes the running machines match the machines directory (docs/machines.md, "The agent"): loads new machine
 * directories, reloads a machine whose {@code machine.yaml} changed (SHA-256), deletes one whose directory is gone.
 * A machine that does not load is reported once per distinct content (one ERROR line per problem) and tried again when
 * its file, owner or permissions change; the others keep running. Of two machines with the same name the one found
 * second is refused: in a scan directories are looked at in name order, and a running machine keeps its name.
 * After each scan it publishes the directories whose machine does not run ({@link #failures()}), and after a scan
 * that loaded, stopped, removed or refused a machine (but the first) logs how many run and how many failed.
 *
 * <p>Not thread-safe: only the scan thread calls it, but {@link #failures()}, which any thread may call.
 */
final class Reconciler implements ScanLoop.Scanner {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** What the last look at one machine directory found. */
    private static final class Seen {
        FileStamp stamp;
        Machine machine;
        /** Why it is not running, as reported: the content and permissions it concerned, and the messages. */
        String failedFingerprint;
        List<String> reported;
        /** Refused for a name in use: looked at again on every scan, since the other machine may go away. */
        boolean retry;

        void loaded(Machine m) {
            machine = m;
            failedFingerprint = null;
            reported = null;
            retry = false;
        }
    }

    private final Path machines;
    private final MachineLoader loader;
    private final MachineGroup group;
    private final boolean strictPermissions;
    private final MachinesDirectoryWatch watch;
    private final Map<String, Seen> seen = new HashMap<>();
    private boolean initial = true;
    private boolean missingReported;
    /** Something was loaded, stopped, removed or newly reported during the current scan. */
    private boolean changed;
    /** {@link #failures()}: replaced at the end of each scan. */
    private volatile List<LoadFailure> failures = List.of();

    /** @param watch the file-system watch to add machine directories to, or {@code null} for the periodic scan only */
    Reconciler(Path machines, MachineLoader loader, MachineGroup group, boolean strictPermissions,
               MachinesDirectoryWatch watch) {
        this.machines = machines;
        this.loader = loader;
        this.group = group;
        this.strictPermissions = strictPermissions;
        this.watch = watch;
    }

    @Override
    public void scan(boolean full, SortedSet<String> directories) {
        SortedSet<String> names = new TreeSet<>(directories);
        if (full) {
            names.addAll(seen.keySet());
            names.addAll(list());
        }
        int before = group.size();
        Set<String> gone = new HashSet<>();
        // Removals first, so a machine that moved to another directory is not refused as a duplicate of itself.
        for (String name : names) {
            if (!isMachineDirectory(name)) {
                gone.add(name);
                forget(name);
            }
        }
        boolean unloaded = !gone.isEmpty() && group.size() < before;
        for (String name : names) {
            if (!gone.contains(name)) {
                unloaded |= look(name);
            }
        }
        if (unloaded) {
            // A name was freed: a machine refused as its duplicate may load now.
            for (Map.Entry<String, Seen> e : new ArrayList<>(seen.entrySet())) {
                if (e.getValue().retry) {
                    look(e.getKey());
                }
            }
        }
        failures = collectFailures();
        if (changed && !initial) {
            LOG.info("reloaded: {} machines from {}, {} failed", group.size(), machines, failures.size());
        }
        changed = false;
        initial = false;
    }

    /** The machine directories whose machine did not load at the end of the last scan, sorted by name. */
    List<LoadFailure> failures() {
        return failures;
    }

    private List<LoadFailure> collectFailures() {
        List<LoadFailure> list = new ArrayList<>();
        for (String name : new TreeSet<>(seen.keySet())) {
            Seen s = seen.get(name);
            if (s.machine == null && s.reported != null && !s.reported.isEmpty()) {
                list.add(new LoadFailure(name, machines.resolve(name).toString(), s.reported));
            }
        }
        return List.copyOf(list);
    }

    private List<String> list() {
        try {
            List<String> names = MachineDirectories.list(machines);
            missingReported = false;
            return names;
        } catch (NoSuchFileException e) {
            if (!missingReported) {
                missingReported = true;
                LOG.warn("the machines directory {} does not exist; no machines run until it does", machines);
            }
        } catch (IOException e) {
            LOG.warn("cannot list the machines directory {}: {}", machines, e.toString());
            // Keep what runs: an unreadable directory is not a reason to stop every machine.
            return new ArrayList<>(seen.keySet());
        }
        return List.of();
    }

    private boolean isMachineDirectory(String name) {
        return MachineDirectories.eligibleName(name) && Files.isDirectory(machines.resolve(name));
    }

    /** The directory is gone: delete its machine (with the watchers' delete hooks) and forget it. */
    private void forget(String name) {
        Seen s = seen.remove(name);
        if (s != null && s.machine != null) {
            String machine = s.machine.definition().name();
            group.delete(machine);
            changed = true;
            LOG.info("machine {} removed: {} is gone", machine, machines.resolve(name));
        }
    }

    /**
     * Looks at one existing machine directory and acts on what changed.
     *
     * @return whether a running machine was stopped
     */
    private boolean look(String name) {
        Path dir = machines.resolve(name);
        Path file = dir.resolve(MachineDirectories.MACHINE_FILE);
        Seen s = seen.computeIfAbsent(name, k -> new Seen());
        if (watch != null) {
            watch.watch(name); // before reading, so a write after the read is still noticed
        }
        FileStamp stamp = FileStamp.of(dir, file);
        if (stamp != null && stamp.equals(s.stamp) && !s.retry) {
            return false; // same file, owner and permissions as last time
        }
        s.stamp = stamp;
        byte[] bytes;
        try {
            bytes = BoundedFile.read(file, MachineLoader.FILE_LIMIT);
        } catch (NoSuchFileException e) {
            // Deleted as when the directory goes (Choria deletes a machine whose file is removed), so that a scan
            // between the file's removal and its directory's, as in `rm -r`, still runs the delete hooks.
            boolean stopped = delete(s, "there is no " + file);
            fail(s, "missing", List.of(dir + ": no " + MachineDirectories.MACHINE_FILE + " in the machine directory"),
                    false);
            return stopped;
        } catch (FileTooLargeException e) {
            boolean stopped = stop(s, file + " no longer loads");
            fail(s, "too large " + e.size(), List.of(new Problem(file, 0, "", e.getMessage()).toString()), false);
            return stopped;
        } catch (IOException e) {
            boolean stopped = stop(s, "cannot read " + file);
            fail(s, "unreadable", List.of(file + ": cannot read: " + e.getMessage()), false);
            return stopped;
        }
        String sha = sha256(bytes);
        Optional<String> insecure = strictPermissions ? StrictPermissions.problem(dir, file) : Optional.empty();
        String fingerprint = sha + insecure.map(p -> " " + p).orElse("");
        if (s.machine != null && insecure.isEmpty() && s.machine.definition().sha256().equals(sha)) {
            return false; // touched, not changed
        }
        if (s.machine == null && fingerprint.equals(s.failedFingerprint) && !s.retry) {
            return false; // reported already; retried when the file changes
        }
        if (insecure.isPresent()) {
            boolean stopped = stop(s, "its permissions are no longer safe");
            fail(s, fingerprint, List.of(insecure.get()), false);
            return stopped;
        }
        MachineDefinition definition;
        try {
            definition = loader.load(dir);
        } catch (MachineLoadException e) {
            boolean stopped = stop(s, file + " no longer loads");
            fail(s, fingerprint, e.problems().stream().map(Problem::toString).toList(), false);
            return stopped;
        }
        boolean stopped = false;
        if (s.machine != null) {
            String old = s.machine.definition().name();
            group.remove(old);
            s.machine = null;
            stopped = true;
            LOG.info("machine {} stopped to reload {}", old, file);
        }
        Machine machine;
        try {
            machine = group.add(definition);
        } catch (DuplicateMachineException e) {
            fail(s, fingerprint, List.of(e.getMessage()), true);
            return stopped;
        }
        s.loaded(machine);
        changed = true;
        machine.start();
        if (initial) {
            LOG.debug("machine {} {} loaded from {}", definition.name(), definition.version(), dir);
        } else {
            LOG.info("machine {} {} loaded from {}", definition.name(), definition.version(), dir);
        }
        return stopped;
    }

    private boolean stop(Seen s, String why) {
        if (s.machine == null) {
            return false;
        }
        String name = s.machine.definition().name();
        group.remove(name);
        s.machine = null;
        changed = true;
        LOG.warn("machine {} stopped: {}", name, why);
        return true;
    }

    /** Like {@link #stop}, with the watchers' delete hooks. */
    private boolean delete(Seen s, String why) {
        if (s.machine == null) {
            return false;
        }
        String name = s.machine.definition().name();
        group.delete(name);
        s.machine = null;
        changed = true;
        LOG.warn("machine {} removed: {}", name, why);
        return true;
    }

    /** Reports a failure unless exactly this one was reported last time. */
    private void fail(Seen s, String fingerprint, List<String> messages, boolean retry) {
        if (!fingerprint.equals(s.failedFingerprint) || !messages.equals(s.reported)) {
            messages.forEach(m -> LOG.error("cannot load machine: {}", m));
            changed = true;
        }
        s.failedFingerprint = fingerprint;
        s.reported = List.copyOf(messages);
        s.retry = retry;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
