package dev.tend.machine;

import dev.tend.kv.KvStore;
import dev.tend.kv.UnsupportedFeatureException;
import dev.tend.machine.event.EventSink;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What the code that runs machines chooses for all of them, set once and passed down unchanged: the agent
 * ({@code Agent.builder(settings)}) adds its machines directory and scanning, its {@code MachineGroup} the thread pools
 * it makes when none are given and itself as the host, and each machine gets the result as its
 * {@link MachineEnvironment}. Build with {@link #builder()}.
 *
 * @param identity         the node identity (events' subject); default the host name ({@link NodeIdentity})
 * @param watchers         the watcher types (required)
 * @param stateDirectory   where machine data lives: {@code <stateDirectory>/machines/<name>/machine_data.json}
 *                         (required)
 * @param store            the KV store, opened on first use; may throw while unavailable. Default: none, every use
 *                         throws {@link UnsupportedFeatureException}
 * @param facts            the node's facts, read when needed; default none
 * @param events           where events go, every sink given in the order given; default nowhere
 * @param scheduler        timers and periodic tasks (short tasks only), kept by its owner; empty: the group that runs
 *                         the machines makes its own
 * @param blockingExecutor blocking work that ends soon (a watcher's {@code runBlocking}: opening a watch, reading a
 *                         file), kept by its owner; when given, the watchers' lanes and their waits also run on it
 *                         unless given apart. Empty: the group makes its own, of {@code blockingThreads} threads
 * @param laneExecutor     the watchers' serial lanes (short tasks that never wait), kept by its owner; empty: the
 *                         given blocking executor, or when there is none a pool the group makes
 * @param waitExecutor     work that waits as long as something outside takes (a command waiting for its child, its
 *                         output pumps; a watcher's {@code runWaiting} and {@code blockingExecutor()}), one thread per
 *                         such wait, kept by its owner; empty: the given blocking executor, or when there is none a
 *                         pool the group makes
 * @param blockingThreads  how many threads the group's own blocking pool has at most ({@link #DEFAULT_BLOCKING_THREADS}
 *                         by default); work beyond them queues
 * @param clock            time, injectable for tests; default the system's UTC clock
 * @param random           splay and jitter, injectable for tests
 * @param textfileDirectory where watchers write Prometheus textfiles (the {@code nagios} status file); empty: none
 * @param overridesFile    Choria Scout's overrides file (JSON, or YAML by its name): one object per machine name, read by
 *                         templates' {@code o} and given to goss as its variables; empty: none
 * @param overrides        that file's content, read again when it changes; empty without a file
 * @param machineSigningKey the ed25519 public key (hex) that signed fleet specifications must verify with; when set it
 *                         overrides the {@code public_key} of every {@code plugins} and {@code machines} watcher (as
 *                         Choria's {@code plugin.choria.machine.signing_key} does); empty: each watcher's own
 * @param noop             whether the machines run in noop mode ({@code tend agent --noop}): watchers run no command
 *                         and write no managed file, only log what they would have done, and machine data is kept in
 *                         memory, never written (docs/machines.md, Noop mode); default false
 * @param resumeState      every machine resumes its last saved state after a restart or a reload of the same file, as
 *                         those whose file asks for it ({@code tend agent --resume-state}); default false
 */
public record MachineSettings(String identity, WatcherRegistry watchers, Path stateDirectory, Supplier<KvStore> store,
                              Supplier<Map<String, Object>> facts, EventSink events,
                              Optional<ScheduledExecutorService> scheduler, Optional<Executor> blockingExecutor,
                              Optional<Executor> laneExecutor, Optional<Executor> waitExecutor, int blockingThreads,
                              Clock clock, RandomGenerator random, Optional<Path> textfileDirectory,
                              Optional<Path> overridesFile, Supplier<Map<String, Object>> overrides,
                              Optional<String> machineSigningKey, boolean noop,
                              boolean resumeState) {

    /** The group's blocking pool's threads unless set: enough for store calls and file reads to overlap. */
    public static final int DEFAULT_BLOCKING_THREADS = 8;
    /** The most {@code blockingThreads} may be. */
    public static final int MAX_BLOCKING_THREADS = 1024;

    public MachineSettings {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(watchers, "watchers");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(blockingExecutor, "blockingExecutor");
        Objects.requireNonNull(laneExecutor, "laneExecutor");
        Objects.requireNonNull(waitExecutor, "waitExecutor");
        if (blockingThreads < 1 || blockingThreads > MAX_BLOCKING_THREADS) {
            throw new IllegalArgumentException("blocking threads must be 1 to " + MAX_BLOCKING_THREADS + ", not "
                    + blockingThreads);
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(textfileDirectory, "textfileDirectory");
        Objects.requireNonNull(overridesFile, "overridesFile");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(machineSigningKey, "machineSigningKey");
    }

    /** Settings that are not in noop mode and in which only the machines whose file asks for it resume their state. */
    public MachineSettings(String identity, WatcherRegistry watchers, Path stateDirectory, Supplier<KvStore> store,
                           Supplier<Map<String, Object>> facts, EventSink events,
                           Optional<ScheduledExecutorService> scheduler, Optional<Executor> blockingExecutor,
                           Optional<Executor> laneExecutor, Optional<Executor> waitExecutor, int blockingThreads,
                           Clock clock, RandomGenerator random, Optional<Path> textfileDirectory,
                           Optional<Path> overridesFile, Supplier<Map<String, Object>> overrides,
                           Optional<String> machineSigningKey) {
        this(identity, watchers, stateDirectory, store, facts, events, scheduler, blockingExecutor, laneExecutor,
                waitExecutor, blockingThreads, clock, random, textfileDirectory, overridesFile, overrides,
                machineSigningKey, false, false);
    }

    /** Settings without a machine signing key. */
    public MachineSettings(String identity, WatcherRegistry watchers, Path stateDirectory, Supplier<KvStore> store,
                           Supplier<Map<String, Object>> facts, EventSink events,
                           Optional<ScheduledExecutorService> scheduler, Optional<Executor> blockingExecutor,
                           Optional<Executor> laneExecutor, Optional<Executor> waitExecutor, int blockingThreads,
                           Clock clock, RandomGenerator random, Optional<Path> textfileDirectory,
                           Optional<Path> overridesFile, Supplier<Map<String, Object>> overrides) {
        this(identity, watchers, stateDirectory, store, facts, events, scheduler, blockingExecutor, laneExecutor,
                waitExecutor, blockingThreads, clock, random, textfileDirectory, overridesFile, overrides,
                Optional.empty());
    }

    /** Settings without an overrides file. */
    public MachineSettings(String identity, WatcherRegistry watchers, Path stateDirectory, Supplier<KvStore> store,
                           Supplier<Map<String, Object>> facts, EventSink events,
                           Optional<ScheduledExecutorService> scheduler, Optional<Executor> blockingExecutor,
                           Optional<Executor> laneExecutor, Optional<Executor> waitExecutor, int blockingThreads,
                           Clock clock, RandomGenerator random, Optional<Path> textfileDirectory) {
        this(identity, watchers, stateDirectory, store, facts, events, scheduler, blockingExecutor, laneExecutor,
                waitExecutor, blockingThreads, clock, random, textfileDirectory, Optional.empty(), Map::of,
                Optional.empty());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same settings with one more sink, published to after the others (a group's listeners). */
    public MachineSettings withEvents(EventSink more) {
        return new MachineSettings(identity, watchers, stateDirectory, store, facts, EventSink.all(events, more),
                scheduler, blockingExecutor, laneExecutor, waitExecutor, blockingThreads, clock, random,
                textfileDirectory, overridesFile, overrides, machineSigningKey, noop, resumeState);
    }

    /** The same settings with these executors (a group fills in the ones it was not given). */
    public MachineSettings withExecutors(ScheduledExecutorService scheduler, Executor blockingExecutor,
                                         Executor laneExecutor, Executor waitExecutor) {
        return new MachineSettings(identity, watchers, stateDirectory, store, facts, events, Optional.of(scheduler),
                Optional.of(blockingExecutor), Optional.of(laneExecutor), Optional.of(waitExecutor), blockingThreads,
                clock, random, textfileDirectory, overridesFile, overrides, machineSigningKey, noop, resumeState);
    }

    /** Builds the settings alone, for an agent or a group of machines. */
    public static final class Builder extends Setters<Builder> {
        private Builder() {
        }

        public MachineSettings build() {
            return settings();
        }
    }

    /**
     * The settings' setters, written once for every builder that collects them: {@link Builder}, and
     * {@link MachineEnvironment.Builder}, which adds the host of a machine run on its own. {@code B} is the concrete
     * builder, so that a chain of calls keeps its type.
     */
    public abstract static class Setters<B extends Setters<B>> {
        private String identity;
        private WatcherRegistry watchers;
        private Path stateDirectory;
        private Supplier<KvStore> store = () -> {
            throw new UnsupportedFeatureException("no KV store is configured for these machines");
        };
        private Supplier<Map<String, Object>> facts = Map::of;
        private final List<EventSink> events = new ArrayList<>();
        private ScheduledExecutorService scheduler;
        private Executor blockingExecutor;
        private Executor laneExecutor;
        private Executor waitExecutor;
        private int blockingThreads = DEFAULT_BLOCKING_THREADS;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = RandomGenerator.getDefault();
        private Path textfileDirectory;
        private Path overridesFile;
        private Supplier<Map<String, Object>> overrides = Map::of;
        private String machineSigningKey;
        private boolean noop;
        private boolean resumeState;

        Setters() {
        }

        /** The node identity; default the host name. */
        public B identity(String value) {
            identity = Objects.requireNonNull(value, "identity");
            return self();
        }

        public B watchers(WatcherRegistry value) {
            watchers = value;
            return self();
        }

        /** Where machine data lives ({@code machines/<name>/machine_data.json}). */
        public B stateDirectory(Path value) {
            stateDirectory = value;
            return self();
        }

        /** The KV store, opened on first use (the agent gives a {@code LazyStore}). */
        public B store(Supplier<KvStore> value) {
            store = Objects.requireNonNull(value, "store");
            return self();
        }

        public B facts(Supplier<Map<String, Object>> value) {
            facts = Objects.requireNonNull(value, "facts");
            return self();
        }

        /** Adds a sink every event goes to (the log, the events file, ...), after those added before. */
        public B events(EventSink value) {
            events.add(Objects.requireNonNull(value, "events"));
            return self();
        }

        /** Timers and short tasks; the caller keeps ownership. Default: a pool the group of machines makes. */
        public B scheduler(ScheduledExecutorService value) {
            scheduler = value;
            return self();
        }

        /**
         * Blocking work that ends soon; the caller keeps ownership. When set, lanes and waits run on it too unless
         * set apart. Default: a pool of {@link #blockingThreads} threads the group of machines makes.
         */
        public B blockingExecutor(Executor value) {
            blockingExecutor = value;
            return self();
        }

        /** The watchers' lanes; the caller keeps ownership. Default: the blocking executor, or the group's pool. */
        public B laneExecutor(Executor value) {
            laneExecutor = value;
            return self();
        }

        /** Long waits (commands); the caller keeps ownership. Default: the blocking executor, or the group's pool. */
        public B waitExecutor(Executor value) {
            waitExecutor = value;
            return self();
        }

        /** The most threads of the group's own blocking pool (1 to {@link #MAX_BLOCKING_THREADS}). */
        public B blockingThreads(int value) {
            blockingThreads = value;
            return self();
        }

        /** Where watchers write Prometheus textfiles; default none. */
        public B textfileDirectory(Path value) {
            textfileDirectory = value;
            return self();
        }

        /**
         * Choria Scout's overrides file: an object with one object per machine name, whose machine's own templates'
         * {@code o "path" default} look up. Default none.
         *
         * @param file    the file (goss is given it as its variables); {@code null}: none
         * @param content its content, read again when it changes (the agent gives a {@code FactsFile}); ignored
         *                without a file
         */
        public B overrides(Path file, Supplier<Map<String, Object>> content) {
            overridesFile = file;
            overrides = file == null ? Map::of : Objects.requireNonNull(content, "content");
            return self();
        }

        /**
         * The ed25519 public key (hex) signed fleet specifications must verify with, overriding the {@code public_key}
         * of every {@code plugins} and {@code machines} watcher; {@code null} or empty: none. Default none.
         */
        public B machineSigningKey(String hex) {
            machineSigningKey = hex == null || hex.isEmpty() ? null : hex;
            return self();
        }

        /**
         * Noop mode ({@code tend agent --noop}): watchers run no command and write no managed file, only log what they
         * would have done ({@code WatcherContext.noop()}), and machine data is never written. Default false.
         */
        public B noop(boolean value) {
            noop = value;
            return self();
        }

        /**
         * Whether every machine resumes its last saved state after a restart or a reload of the same file, not only
         * those whose file asks for it. Default false.
         */
        public B resumeState(boolean value) {
            resumeState = value;
            return self();
        }

        public B clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return self();
        }

        public B random(RandomGenerator value) {
            random = Objects.requireNonNull(value, "random");
            return self();
        }

        /** What has been set, with the defaults for the rest. */
        final MachineSettings settings() {
            return new MachineSettings(identity != null ? identity : NodeIdentity.hostName(), watchers, stateDirectory,
                    store, facts, EventSink.all(events.toArray(EventSink[]::new)), Optional.ofNullable(scheduler),
                    Optional.ofNullable(blockingExecutor), Optional.ofNullable(laneExecutor),
                    Optional.ofNullable(waitExecutor), blockingThreads, clock, random,
                    Optional.ofNullable(textfileDirectory), Optional.ofNullable(overridesFile),
                    overrides, Optional.ofNullable(machineSigningKey), noop, resumeState);
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }
    }
}
