/**
 * The built-in watcher types, one package each ({@code exec}, {@code schedule}, {@code kv}, {@code timer}, {@code file}),
 * registered in {@code META-INF/services/dev.tend.machine.spi.WatcherFactory} and written against the runtime's SPI only,
 * as a plugin jar would be.
 */
package dev.tend.watchers;
