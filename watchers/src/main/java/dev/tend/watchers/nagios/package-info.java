/**
 * The {@code nagios} watcher type, Choria Scout's health checks: runs a Nagios plugin (or a builtin check) every
 * {@code interval} and when the machine enters {@code FORCE_CHECK}, and fires the transition named after the result
 * ({@code OK}, {@code WARNING}, {@code CRITICAL}, {@code UNKNOWN}). It keeps the last checks' history for its state
 * events and in the machine's data ({@link dev.tend.watchers.nagios.DataRecord}, key {@code nagios}), and writes the
 * Prometheus textfile of the reference's metrics when the agent has a textfile directory.
 *
 * <p>Entry point: {@link dev.tend.watchers.nagios.NagiosWatcherFactory} (properties, load checks, {@code create}). Read
 * {@link dev.tend.watchers.nagios.NagiosWatcher} first (when checks happen, what a check reports), then
 * {@link dev.tend.watchers.nagios.PluginRun} (one plugin run, through {@link dev.tend.watchers.process}, as exec's
 * commands), {@link dev.tend.watchers.perfdata.PluginOutput} (the output format, shared with {@code metric}) and
 * {@link dev.tend.watchers.nagios.StatusFile} (the textfile).
 *
 * <p>Threads: {@code NagiosWatcher}'s calls, timers and fields are on the watcher's lane; a check is waiting work
 * ({@code runWaiting}) whose result comes back to the lane. A factory's {@code StatusFile}s are shared by its watchers
 * and lock themselves.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code nagios}.
 */
package dev.tend.watchers.nagios;
