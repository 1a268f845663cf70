/**
 * {@code tend governor}: concurrency governors from the command line, as {@code choria governor}: {@code add},
 * {@code ls}, {@code view}, {@code evict}, {@code rm} and {@code run}, on the store {@code tend kv} uses (the same
 * {@code --store}, {@code --store-mode} and NATS options: {@code dev.tend.cli.store.StoreOptions}, and the same
 * confirmations: {@code dev.tend.cli.command.Prompter}). The governors themselves are {@code dev.tend.governor}'s
 * (kv-store); this package parses, prints and, for {@code run}, starts the command and releases its slot when it ends
 * or when {@code tend} is told to stop.
 *
 * <p>Start with {@link dev.tend.cli.governor.GovernorCommand} (the options, opening the store), then one class per
 * subcommand; {@link dev.tend.cli.governor.GovernorRun} is the only one with threads (its shutdown hook).
 */
package dev.tend.cli.governor;
