/**
 * The built-in watcher types, one package each ({@code exec}, {@code schedule}, {@code kv}, {@code timer}, {@code file},
 * {@code expression}, {@code nagios}, {@code metric}), registered in
 * {@code META-INF/services/dev.tend.machine.spi.WatcherFactory} and written against the runtime's SPI only (and the expression language's API), as a plugin jar would be.
 * {@code process}, {@code perfdata}, {@code prometheus} and {@code governed} are no types: they run a command, read
 * Nagios performance data, write Prometheus textfiles and hold a governor slot for the types that do.
 *
 * <p>In these packages "the reference" means Choria's Autonomous Agents, whose watcher types Tend follows;
 * docs/watchers.md describes each type and lists where Tend differs from the reference.
 */
package dev.tend.watchers;
