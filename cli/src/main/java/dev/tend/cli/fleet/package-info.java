/**
 * {@code tend fleet}: what an operator runs to ship machines to the nodes through the store. {@code pack}
 * ({@link dev.tend.cli.fleet.FleetPack}) validates a machine directory and writes a reproducible {@code tar.gz}
 * ({@link dev.tend.cli.fleet.MachinePacker}, {@link dev.tend.cli.fleet.ReproducibleTarGz}) with the
 * {@code SHA256SUMS} file ({@link dev.tend.cli.fleet.Sha256Sums}) the {@code archive} watcher verifies.
 * The store options are {@code tend kv}'s ({@link dev.tend.cli.store.StoreOptions}).
 */
package dev.tend.cli.fleet;
