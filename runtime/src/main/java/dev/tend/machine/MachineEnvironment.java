package dev.tend.machine;

import dev.tend.kv.KvStore;
import dev.tend.machine.event.EventSink;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Everything a machine gets from whatever runs it. Build with {@link #builder()}; the agent shares one environment
 * among all its machines.
 *
 * @param identity         the node identity (events' subject)
 * @param watchers         the watcher types
 * @param stateDirectory   where machine data lives: {@code <stateDirectory>/machines/<name>/machine_data.json}
 * @param store            the KV store, opened on first use; may throw while unavailable
 * @param facts            the node's facts, read when needed
 * @param events           where events go
 * @param scheduler        timers and periodic tasks (short tasks only)
 * @param blockingExecutor blocking work (commands)
 * @param clock            time, injectable for tests
 * @param random           splay and jitter, injectable for tests
 * @param host             other machines on this node
 */
public record MachineEnvironment(String identity, WatcherRegistry watchers, Path stateDirectory, Supplier<KvStore> store,
                                 Supplier<Map<String, Object>> facts, EventSink events,
                                 ScheduledExecutorService scheduler, Executor blockingExecutor, Clock clock,
                                 RandomGenerator random, MachineHost host) {

    public MachineEnvironment {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(watchers, "watchers");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(blockingExecutor, "blockingExecutor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(host, "host");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same environment with another host (the agent builds machines before it can be their host). */
    public MachineEnvironment withHost(MachineHost other) {
        return new MachineEnvironment(identity, watchers, stateDirectory, store, facts, events, scheduler,
                blockingExecutor, clock, random, other);
    }

    public static final class Builder {
        private String identity = "unknown";
        private WatcherRegistry watchers;
        private Path stateDirectory;
        private Supplier<KvStore> store = () -> {
            throw new dev.tend.kv.UnsupportedFeatureException("no KV store is configured for these machines");
        };
        private Supplier<Map<String, Object>> facts = Map::of;
        private EventSink events = e -> { };
        private ScheduledExecutorService scheduler;
        private Executor blockingExecutor;
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = RandomGenerator.getDefault();
        private MachineHost host = MachineHost.NONE;

        private Builder() {
        }

        public Builder identity(String value) {
            identity = value;
            return this;
        }

        public Builder watchers(WatcherRegistry value) {
            watchers = value;
            return this;
        }

        public Builder stateDirectory(Path value) {
            stateDirectory = value;
            return this;
        }

        public Builder store(Supplier<KvStore> value) {
            store = value;
            return this;
        }

        public Builder facts(Supplier<Map<String, Object>> value) {
            facts = value;
            return this;
        }

        public Builder events(EventSink value) {
            events = value;
            return this;
        }

        public Builder scheduler(ScheduledExecutorService value) {
            scheduler = value;
            return this;
        }

        public Builder blockingExecutor(Executor value) {
            blockingExecutor = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public Builder random(RandomGenerator value) {
            random = value;
            return this;
        }

        public Builder host(MachineHost value) {
            host = value;
            return this;
        }

        public MachineEnvironment build() {
            return new MachineEnvironment(identity, watchers, stateDirectory, store, facts, events, scheduler,
                    blockingExecutor, clock, random, host);
        }
    }
}
