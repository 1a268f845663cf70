/**
 * The watcher SPI: what a watcher type implements, and what the runtime gives it. It depends on the store's API
 * only, so a plugin compiles against this package and {@code dev.tend.kv}; the built-in types ({@code exec},
 * {@code kv}, {@code schedule}, {@code timer}, {@code file}, {@code expression}) are written against it alone (and,
 * for expressions, the API {@code dev.tend.machine.expression}), as a plugin is.
 *
 * <p>Start with {@link dev.tend.machine.spi.WatcherFactory}, then {@link dev.tend.machine.spi.Watcher},
 * {@link dev.tend.machine.spi.WatcherContext} and {@link dev.tend.machine.spi.WatcherLane}. A watcher is given its
 * {@link dev.tend.machine.spi.WatcherDefinition} (one {@code watchers} item of a machine, decoded, with its
 * {@link dev.tend.machine.spi.ForeignState} requirements and {@link dev.tend.machine.spi.WatcherProperties}), the
 * machine's {@link dev.tend.machine.spi.MachineData} and {@link dev.tend.machine.spi.Templates}. docs/plugins.md is the
 * plugin authors' guide, with a complete example.
 *
 * <h2>What a plugin implements</h2>
 * A {@link dev.tend.machine.spi.WatcherFactory} per type: its {@code type} name, the
 * {@link dev.tend.machine.spi.PropertySpec properties} it understands (the loader decodes and checks them, and the JSON
 * Schema describes them), its own {@code validate} rules (errors through {@code ProblemReporter.report}, warnings through
 * {@code warn}), and {@code create}, which makes one
 * {@link dev.tend.machine.spi.Watcher} for one watcher of one machine. The watcher is told {@code start()} (after the
 * machine's splay), {@code stateChanged()} after each real transition, {@code dataChanged()} after the machine's data changed (a default
 * that does nothing), {@code stop()} when the machine stops (reload,
 * shutdown) and {@code delete()} when its file was removed, and is asked {@code currentState()} for status and
 * announcements.
 *
 * <h2>How plugins are found</h2>
 * With {@link java.util.ServiceLoader}: a jar lists its factories in
 * {@code META-INF/services/dev.tend.machine.spi.WatcherFactory}, one class name a line, each with a public no-argument
 * constructor. The agent loads every {@code *.jar} of its plugins directory at start, in one class loader whose parent
 * holds the runtime and the built-in types (a built-in type wins over a plugin's of the same name); {@code tend machine
 * validate|schema|graph|run} load them the same way.
 *
 * <h2>Threads and the lane</h2>
 * Factories are called on whatever thread loads or starts machines; {@code create} may be called again for the same
 * definition after a failed start, and {@code close} once, after every machine stopped.
 *
 * <p>Each watcher has a serial lane, {@link dev.tend.machine.spi.WatcherContext#lane()}. The engine's calls into the
 * watcher run on it, and so does everything the watcher gives it: {@link dev.tend.machine.spi.WatcherLane#execute} for a
 * callback from another thread (a library's listener), {@link dev.tend.machine.spi.WatcherLane#schedule} and
 * {@link dev.tend.machine.spi.WatcherLane#every} for timers, {@link dev.tend.machine.spi.WatcherLane#runBlocking} for the
 * answer of blocking work. Lane tasks run one at a time, in the order given, each seeing what the ones before it wrote:
 * a watcher whose state is touched only on its lane needs no lock, no volatile and no queue of its own. Lanes have no
 * threads of their own; they share the runtime's, so that thousands of watchers run on a few threads. A task that throws
 * is logged and the lane goes on. Timers cancelled on the lane never run afterwards, even when already due.
 *
 * <h2>What a watcher may block on: nothing</h2>
 * A lane task must not wait: no sleeping, no waiting for a process, a network answer, a future or a lock another thread
 * holds. Lanes share a few threads (as many as processors, 2 to 8): waiting delays every other task of the watcher, and
 * of the watchers sharing its thread. What waits goes to {@code lane().runBlocking(work, then)} when it ends soon
 * (opening a watch, a store call, reading a file), or {@code lane().runWaiting(work, then)} when it waits as long as
 * something outside takes (a command waiting for its child): {@code work} runs on the runtime's threads for it, and
 * {@code then} gets its result (or what it threw) back on the lane. {@code runBlocking}'s pool has a bounded number of
 * threads (8 by default, {@code tend agent --blocking-threads}): work given while all are busy queues, so work that
 * holds a thread for long delays everyone's. {@code runWaiting} gives each work a thread of its own, ended with it.
 * Quick local work is fine on the lane: reading and writing machine data, rendering templates, publishing state, firing
 * transitions, asking {@code isActive()}. {@link dev.tend.machine.spi.WatcherContext#scheduler()} and {@link
 * dev.tend.machine.spi.WatcherContext#blockingExecutor()} remain for compatibility; their tasks are not on the lane.
 *
 * <h2>Publishing state and firing transitions</h2>
 * {@code publishState(fields)} sends a watcher state event with the watcher's own fields (the engine adds identity,
 * machine, watcher name and type). {@code fireSuccess()}, {@code fireFail()} and {@code fire(name)} queue an event for
 * the machine and return at once; the machine applies it after loop protection's delay, if any, and ignores it when it
 * is not valid in the state it is then in. The transition comes back to the watcher as {@code stateChanged()}, later, on
 * its lane; pokes coalesce, so one call may stand for several transitions: read {@code currentState()} and
 * {@code isActive()} there rather than counting calls.
 *
 * <h2>Runs and what comes next</h2>
 * A watcher that runs something (a command, a check, a download) calls {@code recordRun(}{@link
 * dev.tend.machine.spi.WatcherRun}{@code )} once per run, when it ends: outcome, exit code (or null), start, duration
 * and output, of which the run keeps the end. A watcher with a timer of its own calls {@code recordNext(}{@link
 * dev.tend.machine.spi.WatcherNext}{@code )} when it sets it ({@code expires}, {@code opens}, {@code runs}, ...) and
 * {@code recordNext(null)} when nothing is due. {@code tend machine info} shows both; contexts made elsewhere ignore
 * them.
 *
 * <h2>Noop mode</h2>
 * {@link dev.tend.machine.spi.WatcherContext#noop()} is true when the agent runs with {@code --noop}: a watcher that
 * acts on the node (runs a command, writes a file, changes the store) does everything up to the act, logs at INFO what
 * it would have done ({@code noop: would run ...}) and goes on as if that had succeeded. Reading, publishing state and
 * firing transitions are as usual; the machine's data is then kept in memory by the runtime.
 *
 * <h2>Stopping</h2>
 * {@code stop()} cancels the watcher's timers, closes what it opened and asks what it started to end, as blocking work
 * when ending waits (a process given time to exit). The machine's stop returns when {@code stop()} returned and the
 * watcher's blocking work has finished (at most 30 s); answers of blocking work still come to the lane after
 * {@code stop()}, so that the watcher can release what the work opened meanwhile. {@code delete()} (default:
 * {@code stop()}) also undoes what the watcher keeps outside the machine. Exceptions thrown by {@code start()} leave the
 * machine not started; from other calls they are logged.
 */
package dev.tend.machine.spi;
