package dev.tend.machine;

import dev.tend.kv.KvStore;
import dev.tend.machine.event.EventSink;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Everything a machine gets from whatever runs it: the {@link MachineSettings} shared by the machines it runs, with
 * both executors present, and the host that answers for the other machines. A {@code MachineGroup} makes one for its
 * machines (and is their host); a machine run on its own (tests, benchmarks) is given one built with
 * {@link #builder()}, which takes the settings' setters and the host.
 *
 * @param settings the shared settings; their scheduler and blocking executor must be present
 * @param host     other machines on this node
 */
public record MachineEnvironment(MachineSettings settings, MachineHost host) {

    public MachineEnvironment {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(host, "host");
        if (settings.scheduler().isEmpty() || settings.blockingExecutor().isEmpty()) {
            // Only a group makes executors of its own; a machine alone would have nowhere to run its watchers.
            throw new IllegalArgumentException("a machine needs a scheduler and a blocking executor: set them, or run"
                    + " it in a MachineGroup, which makes its own");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same environment with another host (a group builds its environment before it can be the host). */
    public MachineEnvironment withHost(MachineHost other) {
        return new MachineEnvironment(settings, other);
    }

    public String identity() {
        return settings.identity();
    }

    public WatcherRegistry watchers() {
        return settings.watchers();
    }

    public Path stateDirectory() {
        return settings.stateDirectory();
    }

    public Supplier<KvStore> store() {
        return settings.store();
    }

    public Supplier<Map<String, Object>> facts() {
        return settings.facts();
    }

    public EventSink events() {
        return settings.events();
    }

    public ScheduledExecutorService scheduler() {
        return settings.scheduler().orElseThrow(); // present: checked on construction
    }

    /** Blocking work that ends soon ({@code runBlocking}). */
    public Executor blockingExecutor() {
        return settings.blockingExecutor().orElseThrow(); // present: checked on construction
    }

    /** The watchers' serial lanes: the settings' lane executor, else the blocking executor. */
    public Executor laneExecutor() {
        return settings.laneExecutor().orElseGet(this::blockingExecutor);
    }

    /** Long waits ({@code runWaiting}, the SPI's {@code blockingExecutor()}): the settings' own, else the blocking one. */
    public Executor waitExecutor() {
        return settings.waitExecutor().orElseGet(this::blockingExecutor);
    }

    public Clock clock() {
        return settings.clock();
    }

    public Optional<Path> textfileDirectory() {
        return settings.textfileDirectory();
    }

    /** Choria Scout's overrides file, if the agent has one. */
    public Optional<Path> overridesFile() {
        return settings.overridesFile();
    }

    /** The agent's machine signing key (hex ed25519 public key), if it has one. */
    public Optional<String> machineSigningKey() {
        return settings.machineSigningKey();
    }

    /** Whether the machines run in noop mode ({@code tend agent --noop}). */
    public boolean noop() {
        return settings.noop();
    }

    /** Whether every machine resumes its saved state, not only those whose file asks for it. */
    public boolean resumeState() {
        return settings.resumeState();
    }

    /** The overrides file's content (every machine's), read again when it changes; empty without a file. */
    public Supplier<Map<String, Object>> overrides() {
        return settings.overrides();
    }

    public RandomGenerator random() {
        return settings.random();
    }

    /** The settings' setters plus the host; scheduler and blocking executor are required. */
    public static final class Builder extends MachineSettings.Setters<Builder> {
        private MachineHost host = MachineHost.NONE;

        private Builder() {
        }

        public Builder host(MachineHost value) {
            host = Objects.requireNonNull(value, "host");
            return this;
        }

        public MachineEnvironment build() {
            return new MachineEnvironment(settings(), host);
        }
    }
}
