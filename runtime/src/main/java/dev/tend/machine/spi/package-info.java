/**
 * The watcher SPI, for plugin authors: everything a watcher type needs and nothing else of the runtime (it depends on
 * the store's API only, so a plugin compiles against this package and {@code dev.tend.kv}).
 *
 * <p>Start with {@link dev.tend.machine.spi.WatcherFactory}, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tend.machine.spi.WatcherFactory}): it names its type, declares its properties as
 * {@link dev.tend.machine.spi.PropertySpec}s (the runtime decodes and checks them at load, into
 * {@link dev.tend.machine.spi.WatcherProperties}), checks its own rules against the
 * {@link dev.tend.machine.spi.WatcherDefinition} (with its {@link dev.tend.machine.spi.ForeignState} requirements) and
 * creates a {@link dev.tend.machine.spi.Watcher} per machine, given a {@link dev.tend.machine.spi.WatcherContext}: the
 * machine's state, transitions to fire, {@link dev.tend.machine.spi.MachineData}, {@link dev.tend.machine.spi.Templates},
 * the store, executors, clock and logger. The built-in types (module {@code watchers}) use nothing else.
 */
package dev.tend.machine.spi;
