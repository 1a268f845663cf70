/**
 * The built-in watcher types, one package each ({@code exec}, {@code schedule}, {@code kv}, {@code timer}, {@code file},
 * {@code expression}), registered in {@code META-INF/services/dev.tend.machine.spi.WatcherFactory} and written against
 * the runtime's SPI only (and the expression language's API), as a plugin jar would be.
 *
 * <p>In these packages "the reference" means Choria's Autonomous Agents, whose watcher types Tend follows;
 * docs/watchers.md describes each type and lists where Tend differs from the reference.
 */
package dev.tend.watchers;
