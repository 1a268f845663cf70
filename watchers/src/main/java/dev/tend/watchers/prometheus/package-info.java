/**
 * Prometheus textfiles, shared by the watcher types that write one ({@code nagios}, {@code metric}):
 * {@link dev.tend.watchers.prometheus.Textfile} writes a file whole and atomically, and
 * {@link dev.tend.watchers.prometheus.Exposition} gives the text format's names, label values and numbers. What each
 * file holds belongs to its type's package; this one knows no type. Stateless: every method may be called from any
 * thread (whoever owns a file serialises its writes).
 */
package dev.tend.watchers.prometheus;
