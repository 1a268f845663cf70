/**
 * The backend SPI, for whoever writes a backend; applications never use it ({@link dev.tend.kv.KvStore#open} finds the
 * backend). A backend is a {@link dev.tend.kv.spi.KvBackendProvider} registered in
 * {@code META-INF/services/dev.tend.kv.spi.KvBackendProvider}: it serves the URLs of one scheme and opens a
 * {@link dev.tend.kv.KvStore} from the {@link dev.tend.kv.spi.KvStoreOptions} the builder collected. The two built-in
 * backends implement it: {@code dev.tend.kv.embedded.EmbeddedBackendProvider} ({@code file}) and
 * {@code dev.tend.kv.nats.NatsBackendProvider} ({@code nats}).
 *
 * <p>A backend may also keep running figures for metrics: {@link dev.tend.kv.spi.StoreStats} (writes, forces,
 * compactions, batch sizes, watch delivery lag as {@link dev.tend.kv.spi.CountHistogram}s of adders, the open buckets'
 * entries and bytes), offered by a store that implements {@link dev.tend.kv.spi.StatsSource} (the embedded one does;
 * NATS does not). No metrics library: {@code dev.tend.observe} turns them into Prometheus metrics.
 *
 * <p>It depends on the API only. A new backend also declares its {@link dev.tend.kv.BackendGuarantees} and runs the
 * contract suite, which this module publishes in its test-jar ({@code dev.tend.kv.contract}).
 */
package dev.tend.kv.spi;
