/**
 * The agent's Prometheus metrics ({@code /metrics}), on the Prometheus Java client 1.x in a registry of the agent's
 * own: {@link dev.tend.observe.metrics.AgentMetrics} puts them together and gives the route's handler
 * ({@link dev.tend.observe.metrics.MetricsHandler}, the text format). {@code MachineStates}
 * reads the running machines' states at scrape time; {@link dev.tend.observe.metrics.MachineEventMetrics} counts what
 * the agent's events tell (an in-process subscription: transitions, watcher runs by outcome and their durations, exec
 * time-outs), its counters being {@code EventCounter}s, which keep their series' labels between scrapes; {@link dev.tend.observe.metrics.StoreMetrics} turns the store's own figures
 * ({@code dev.tend.kv.spi.StoreStats}) into metrics at scrape time. docs/operations.md lists every metric and the
 * labels chosen.
 *
 * <p>{@link dev.tend.observe.metrics.MetricsHandler} writes the families with a series per machine (the state gauge
 * and the event counters, {@code TextFamily}) from bytes each series keeps (its name and escaped labels,
 * {@code SeriesText}) and its value ({@code TextOut}), and the rest through the client's text writer, in the
 * registry's name order: the same exposition as the client's writer makes of the whole registry, without a snapshot
 * object per series.
 *
 * <p>Depends on the runtime's events and control interface ({@code RunningMachines}) and the store's SPI; knows
 * nothing of the listener but {@code Responses}.
 */
package dev.tend.observe.metrics;
