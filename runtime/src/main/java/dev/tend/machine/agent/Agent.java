package dev.tend.machine.agent;

import dev.tend.machine.LoadFailure;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineSettings;
import dev.tend.machine.control.RunningMachines;
import dev.tend.machine.event.EventSink;
import dev.tend.machine.load.MachineLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The machine manager: runs every machine directory under a machines directory and keeps up with it while it runs.
 * New, changed and removed machines are noticed at once through one {@link java.nio.file.WatchService} (see
 * {@link MachinesDirectoryWatch}) and, as a fallback, by a full scan every {@link Builder#scanInterval scan interval}
 * (default 10 s); the loading rules are {@link Reconciler}'s. The machines are each other's host: foreign states and
 * {@code subscribe} work among them.
 *
 * <pre>{@code
 * MachineSettings settings = MachineSettings.builder().stateDirectory(state).watchers(registry).build();
 * try (Agent agent = Agent.builder(settings).machines(dir).build()) {
 *     agent.start();
 *     ...
 * }
 * }</pre>
 *
 * Threads, all named {@code tend-agent-*}: one scanning, one watching the file system, the machines' scheduler,
 * lane, blocking and wait pools (unless the settings give them; see {@link MachineGroup}). {@link #close()} stops every machine and every one of them.
 */
public final class Agent implements RunningMachines, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final String THREAD_PREFIX = "tend-agent";

    private final Path machinesDirectory;
    private final boolean strictPermissions;
    private final boolean watchFileSystem;
    private final Duration scanInterval;
    private final MachineGroup group;
    private final MachineLoader loader;
    private MachinesDirectoryWatch watch;
    private ScanLoop scans;
    private volatile Reconciler reconciler;
    private ScheduledFuture<?> periodic;
    private boolean started;
    private boolean closed;

    private Agent(Builder b) {
        this.machinesDirectory = b.machines.toAbsolutePath().normalize();
        this.strictPermissions = b.strictPermissions;
        this.watchFileSystem = b.watchFileSystem;
        this.scanInterval = b.scanInterval;
        this.group = MachineGroup.create(b.settings, THREAD_PREFIX);
        this.loader = new MachineLoader(group.environment().watchers());
    }

    /** An agent whose machines share {@code settings}; the builder adds what only the agent has. */
    public static Builder builder(MachineSettings settings) {
        return new Builder(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * Loads and starts every machine (the engine applies each one's splay), then keeps watching. Returns when the first
     * scan is done. A machine that does not load is logged and does not stop the others.
     *
     * @throws AgentException when the machines directory cannot be used (not a directory, not safe as root)
     */
    public synchronized void start() throws AgentException {
        if (closed) {
            throw new IllegalStateException("the agent was closed");
        }
        if (started) {
            return;
        }
        checkMachinesDirectory();
        if (watchFileSystem) {
            try {
                watch = MachinesDirectoryWatch.open(machinesDirectory, new MachinesDirectoryWatch.Listener() {
                    @Override
                    public void changed(Set<String> directories) {
                        scans.request(directories);
                    }

                    @Override
                    public void lost() {
                        scans.requestFull();
                    }
                }, THREAD_PREFIX + "-watch");
            } catch (IOException e) {
                LOG.warn("cannot watch {} for changes ({}); relying on the scan every {}", machinesDirectory,
                        e.getMessage(), scanInterval);
            }
        }
        reconciler = new Reconciler(machinesDirectory, loader, group, strictPermissions, watch);
        scans = new ScanLoop(reconciler, THREAD_PREFIX + "-scan");
        scans.start();
        if (watch != null) {
            watch.start(); // now that there is a scan loop to tell; what happened meanwhile is queued
        }
        started = true;
        try {
            scans.scanNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while loading the machines from " + machinesDirectory, e);
        }
        try {
            periodic = group.environment().scheduler().scheduleWithFixedDelay(scans::requestFull,
                    scanInterval.toNanos(), scanInterval.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            throw new AgentException("the scheduler given to the agent does not accept tasks", e);
        }
        LOG.info("agent started: {} machines from {}, {} failed", group.size(), machinesDirectory,
                reconciler.failures().size());
    }

    /**
     * Creates the machines directory if it is missing and checks that it can be used (done by {@link #start()} too;
     * a command calls it first to fail before it starts anything else).
     *
     * @throws AgentException when it is not a directory, cannot be created, or is not safe with strict permissions
     */
    public void checkMachinesDirectory() throws AgentException {
        if (!Files.exists(machinesDirectory)) {
            try {
                Files.createDirectories(machinesDirectory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                LOG.info("created the machines directory {}", machinesDirectory);
            } catch (IOException | UnsupportedOperationException e) {
                throw new AgentException("cannot create the machines directory " + machinesDirectory + ": " + e, e);
            }
        }
        if (!Files.isDirectory(machinesDirectory)) {
            throw new AgentException("the machines directory " + machinesDirectory + " is not a directory");
        }
        if (strictPermissions) {
            Optional<String> problem = StrictPermissions.problem(machinesDirectory);
            if (problem.isPresent()) {
                throw new AgentException(problem.get());
            }
        }
    }

    /** Looks at every machine directory now and returns when that is done (tests, benchmarks; normally not needed). */
    public void rescan() throws InterruptedException {
        ScanLoop loop;
        synchronized (this) {
            if (!started || closed) {
                throw new IllegalStateException("the agent is not running");
            }
            loop = scans;
        }
        loop.scanNow();
    }

    public Path machinesDirectory() {
        return machinesDirectory;
    }

    @Override
    public String identity() {
        return group.identity();
    }

    @Override
    public boolean noop() {
        return group.noop();
    }

    @Override
    public List<Machine> machines() {
        return group.machines();
    }

    @Override
    public Optional<Machine> machine(String name) {
        return group.machine(name);
    }

    /**
     * The machine directories whose machine failed to load as they are now (by directory name, with the messages
     * logged), as of the last scan; empty before the start.
     */
    public Map<String, List<String>> failedLoads() {
        Map<String, List<String>> failed = new java.util.LinkedHashMap<>();
        for (LoadFailure f : failures()) {
            failed.put(f.name(), f.problems());
        }
        return Collections.unmodifiableMap(failed);
    }

    @Override
    public java.time.Clock clock() {
        return group.environment().clock();
    }

    @Override
    public List<LoadFailure> failures() {
        Reconciler r = reconciler;
        return r == null ? List.of() : r.failures();
    }

    @Override
    public AutoCloseable subscribe(EventSink listener) {
        return group.subscribe(listener);
    }

    /** Stops watching and scanning, then every machine and every thread of the agent. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (periodic != null) {
            periodic.cancel(false);
        }
        if (watch != null) {
            watch.close();
        }
        if (scans != null) {
            scans.close();
        }
        group.close();
        LOG.info("agent stopped");
    }

    /** The agent's own configuration, beside the machines' settings. The machines directory is required. */
    public static final class Builder {
        private final MachineSettings settings;
        private Path machines;
        private Duration scanInterval = Duration.ofSeconds(10);
        private boolean strictPermissions = AgentPaths.isRoot();
        private boolean watchFileSystem = true;

        private Builder(MachineSettings settings) {
            this.settings = settings;
        }

        /** The directory with one sub directory per machine; created if missing. */
        public Builder machines(Path value) {
            machines = value;
            return this;
        }

        /** How often everything is looked at, besides the file-system watch; default 10 s. */
        public Builder scanInterval(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the scan interval must be positive, not " + value);
            }
            scanInterval = value;
            return this;
        }

        /**
         * Refuse machine directories and files not owned by root or writable by group or others (and such a machines
         * directory). Default: on when the process runs as root.
         */
        public Builder strictPermissions(boolean value) {
            strictPermissions = value;
            return this;
        }

        /** Whether to use the file-system watch; off, changes are noticed by the periodic scan only. Default on. */
        public Builder watchFileSystem(boolean value) {
            watchFileSystem = value;
            return this;
        }

        public Agent build() {
            Objects.requireNonNull(machines, "machines");
            return new Agent(this);
        }
    }
}
