/**
 * The Nagios plugin output format ({@link dev.tend.watchers.perfdata.PluginOutput}): the text, the long text and the
 * performance data ({@link dev.tend.watchers.perfdata.PerfData}), shared by the watcher types that read it
 * ({@code nagios} for its checks, {@code metric} for a command printing performance data). It knows no watcher type.
 */
package dev.tend.watchers.perfdata;
