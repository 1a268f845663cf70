package dev.tend.machine.spi;

import dev.tend.kv.KvStore;
import org.slf4j.Logger;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What the engine gives one watcher of one machine. Its methods may be called from any thread. */
public interface WatcherContext {

    WatcherDefinition definition();

    String machineName();

    String machineVersion();

    /** A fresh UUID every time the machine is loaded. */
    String instanceId();

    /** The machine's directory, absolute: working directory of commands, base of relative paths. */
    Path machineDirectory();

    /** The node identity (events' {@code subject}). */
    String identity();

    String currentState();

    /** Whether the machine is in one of {@code state_match} (or it is empty) and every foreign state requirement holds. */
    boolean isActive();

    /** Fires {@code success_transition}, if set. Never blocks on loop protection; an invalid event is logged and ignored. */
    void fireSuccess();

    /** Fires {@code fail_transition}, if set. */
    void fireFail();

    /** Fires the named transition of this machine (e.g. nagios-style watchers). */
    void fire(String transition);

    /** Publishes a watcher state event with these type-specific fields (the engine adds identity, machine, name, ...). */
    void publishState(Map<String, Object> fields);

    MachineData data();

    /** The node's facts as a JSON-like map, re-read when they change; empty when there are none. */
    Map<String, Object> facts();

    /** Renders templates in properties against this machine's data and the facts. */
    Templates templates();

    /**
     * The agent's store, opened on first use. Throws a {@link dev.tend.kv.KvException} (e.g. {@code StoreException})
     * while it is unavailable; watchers retry rather than fail the machine.
     */
    KvStore store();

    /**
     * This watcher's serial lane: the engine's calls into the watcher run on it, and so should everything the watcher does
     * on its own (timers, blocking work's results, other threads' callbacks), so that its state needs no lock. The
     * runtime's contexts always have one; a context made elsewhere (a test's fake) must override this to offer one.
     */
    default WatcherLane lane() {
        throw new UnsupportedOperationException("this WatcherContext has no lane");
    }

    /**
     * The agent's shared scheduler; tasks must be short. Its tasks do not run on the watcher's lane: prefer
     * {@link WatcherLane#schedule} and {@link WatcherLane#every}.
     */
    ScheduledExecutorService scheduler();

    /**
     * For work that waits as long as something outside takes (reading a command's output, waiting on a process): each
     * task gets a thread, which ends with it (the runtime's threads named {@code <prefix>-wait-n}). Its tasks do not run
     * on the watcher's lane: prefer {@link WatcherLane#runWaiting}, or {@link WatcherLane#runBlocking} for work that
     * ends soon, which bring the result back to it.
     */
    Executor blockingExecutor();

    Clock clock();

    /**
     * The directory where watchers write Prometheus textfiles (a node exporter's textfile collector reads it), set by
     * the agent's {@code --textfile-dir}; empty when there is none. Default: none.
     */
    default Optional<Path> textfileDirectory() {
        return Optional.empty();
    }

    /**
     * Choria Scout's overrides file, set by the agent's {@code --overrides}: one object per machine name, which templates'
     * {@code o "path" default} read; the goss builtin gives the file to goss as its variables. Empty when there is none.
     * Default: none.
     */
    default Optional<Path> overridesFile() {
        return Optional.empty();
    }

    /**
     * The ed25519 public key (hex) that signed fleet specifications must verify with, set by whatever runs the machines
     * (the agent's configuration); when present the {@code plugins} and {@code machines} watchers use it instead of
     * their {@code public_key}. Default: none.
     */
    default Optional<String> machineSigningKey() {
        return Optional.empty();
    }

    /**
     * Whether the machine runs in noop mode ({@code tend agent --noop}). Then a watcher changes nothing on the node: it
     * runs no command (exec, nagios, metric), writes no file it manages (archive targets, managed file contents, manager
     * machines) and takes no governor slot, but logs at info, {@code noop: would ...}, what it would have done, and goes
     * on as if that had succeeded. Everything else (reading, evaluating, publishing state, firing transitions) is as
     * usual. Default: false.
     */
    default boolean noop() {
        return false;
    }

    /** The health of whatever runs this machine beside others (the agent); empty when it tells none. Default: none. */
    default Optional<AgentHealth> agentHealth() {
        return Optional.empty();
    }

    /**
     * Records this watcher's latest run, which {@code tend machine info} shows until the next one (watchers that run
     * something call it once per run, when it ends; a run skipped because the watcher is not active is not a run).
     * Default: forgotten (a context made elsewhere, e.g. a test's fake).
     */
    default void recordRun(WatcherRun run) {
    }

    /**
     * Records what this watcher will do next on its own and when ({@code null}: nothing is due, e.g. its timer was
     * cancelled), which {@code tend machine info} shows with the time left. Default: forgotten.
     */
    default void recordNext(WatcherNext next) {
    }

    /**
     * A logger named for this machine and watcher; the runtime's adds the structured fields {@code machine} and
     * {@code watcher} to what it logs.
     */
    Logger logger();
}
