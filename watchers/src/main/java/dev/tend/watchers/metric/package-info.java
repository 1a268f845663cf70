/**
 * The {@code metric} watcher type: runs a command printing metrics (Choria's JSON
 * <code>{"labels": {...}, "metrics": {...}}</code>, or a Nagios plugin's performance data) every
 * {@code properties.interval} and after each state change, and writes each result to the Prometheus textfile, to
 * Graphite when configured, to the machine data key {@code metric} with {@code store}, and to its state event. Output
 * in Choria's format that cannot be read fires {@code fail_transition}; nothing fires {@code success_transition}.
 *
 * <p>Entry point: {@link dev.tend.watchers.metric.MetricWatcherFactory} (properties, load checks, {@code create}). Read
 * {@link dev.tend.watchers.metric.MetricWatcher} first (when runs happen, what a result does), then
 * {@link dev.tend.watchers.metric.MetricRun} (one run, through {@link dev.tend.watchers.process.PlainCommand} as
 * nagios's plugins), {@link dev.tend.watchers.metric.MetricOutput} (the output formats, performance data through
 * {@link dev.tend.watchers.perfdata}), {@link dev.tend.watchers.metric.MetricsFile} (the textfile, written through
 * {@link dev.tend.watchers.prometheus}) and {@link dev.tend.watchers.metric.Graphite}.
 *
 * <p>Threads: {@code MetricWatcher}'s calls, timers and fields are on the watcher's lane; a run (the command, reading
 * its output, Graphite) is waiting work ({@code runWaiting}) whose result comes back to the lane. A factory's
 * {@code MetricsFile}s are shared by its watchers and lock themselves.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code metric}.
 */
package dev.tend.watchers.metric;
