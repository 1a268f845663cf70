/**
 * Which store a command uses and how it reaches it, from the flags, the environment and the config files:
 * {@link dev.tend.cli.store.StoreLocator} (start here), the options that select and reach a store, mixed into
 * {@code tend kv} and {@code tend governor} ({@link dev.tend.cli.store.StoreOptions}), the NATS connection
 * ({@link dev.tend.cli.store.NatsFlags}, {@link dev.tend.cli.store.ConnectionSettings}) and the subjects machine
 * events use on NATS ({@link dev.tend.cli.store.EventsOnNats}). Shared by {@code tend kv}, {@code tend governor},
 * {@code tend machine} and {@code tend agent}; knows no command.
 */
package dev.tend.cli.store;
