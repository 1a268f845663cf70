/**
 * Benchmark harnesses: plain Java programs that the scripts in {@code bench/} start, not a library (nothing here is
 * API; the public classes are public for their {@code main}) and not tests ({@code mvn verify} only compiles them).
 * docs/benchmarks.md says what each scenario measures and holds the latest figures.
 *
 * <p>Where to start, by script:
 * <ul>
 *   <li>{@code bench/run}: {@link dev.tend.bench.KvBench}, the embedded store's scenarios (options in
 *   {@code BenchOptions}; a {@code Watchdog} ends a hung run): {@code KvWriteScenarios} (raw force rate, sequential
 *   and 8-thread puts), {@code KvReadScenarios} (get, history), {@code KvWatchScenarios} (watch latency in the
 *   writing JVM and in another), {@code KvOpenScenarios} (open time, the big bucket), sharing a
 *   {@code KvScenarioContext}; child JVMs ({@link dev.tend.bench.BenchChild}, started by {@code ChildJvm}) for writers
 *   in other processes and cold opens; scenario 10 ({@code NatsComparison}) puts the same operations through the
 *   embedded store, Tend's NATS backend and raw jnats ({@code StoreTarget}, {@code TendTarget}, {@code JnatsTarget}) on
 *   a nats-server started with kv-store's test harness; scenario 11 ({@code MultiProcessWrites}) puts from 8 writer
 *   processes ({@code WriterProcess}, which also times the steps of a write with the files alone) beside 8 NATS
 *   connections.</li>
 *   <li>{@code bench/cli}: {@link dev.tend.bench.CliBench}, whole {@code tend} processes (every short command, the
 *   machine ones against a running agent) against a JVM that only prints ({@link dev.tend.bench.Hello}).</li>
 *   <li>{@code bench/runtime}: {@link dev.tend.bench.RuntimeBench}, an agent loading thousands of machines.</li>
 *   <li>{@code bench/fleet-watch}: {@link dev.tend.bench.FleetWatchBench}, a real agent with thousands of kv-watching
 *   machines over ten buckets: its threads, heap, RSS and put -> transition latency, embedded and on NATS.</li>
 *   <li>{@code bench/fleet-rollout}: {@link dev.tend.bench.FleetRolloutBench}, agents with {@code --manage-machines}
 *   on one nats-server ({@code NatsProcess}, shared with the fleet watch benchmark): publish -> the new version
 *   running on every matching node, and the agents' RSS.</li>
 *   <li>{@code bench/agent}: {@link dev.tend.bench.AgentMemoryBench}, the resident set and heap of whole long-running
 *   processes ({@code tend agent}, {@code tend kv watch}), each a {@code JvmProcess} measured from outside.</li>
 *   <li>{@code bench/watchers}: {@link dev.tend.bench.WatcherBench}, the kv watcher's reaction to writes made by
 *   another JVM ({@link dev.tend.bench.KvWriterChild}).</li>
 *   <li>{@code bench/exec}: {@link dev.tend.bench.ExecBench}, the exec watcher's overhead over a plain process
 *   start.</li>
 * </ul>
 * Shared: {@code Support} (keys, values, clocks, statistics), {@code Interleaved} (variants measured in rotating
 * rounds), {@code StartedTogether} (threads released at once), {@code Latency}, {@code Runs}, {@code FigureTable}.
 *
 * <p>Depends on kv-store (and its test-jar, for {@code NatsServer}), runtime and watchers.
 */
package dev.tend.bench;
