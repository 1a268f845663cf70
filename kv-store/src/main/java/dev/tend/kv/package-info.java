/**
 * The store's API, for applications: a key-value store with the semantics of NATS JetStream KV (per-key history, delete
 * and purge markers, compare-and-set, watches, TTLs, size limits), whichever backend holds the buckets.
 *
 * <p>Start with {@link dev.tend.kv.KvStore} ({@code KvStore.open(url)}: {@code file:} or a plain path for the embedded
 * backend, {@code nats://} for NATS JetStream; {@link dev.tend.kv.KvStoreBuilder} for a clock, executors,
 * {@link dev.tend.kv.Durability} and {@link dev.tend.kv.ConnectionOptions}), then {@link dev.tend.kv.Bucket} (writes,
 * reads, history, keys, watches) and {@link dev.tend.kv.BucketConfig} with its builder. A watch is a
 * {@link dev.tend.kv.Watch} started with {@link dev.tend.kv.WatchOptions} and delivering {@link dev.tend.kv.Entry}s to
 * a {@link dev.tend.kv.WatchListener}; keys and filters follow {@link dev.tend.kv.Names} and
 * {@link dev.tend.kv.KeyFilter}. {@link dev.tend.kv.BackendGuarantees} says what the open backend promises, and the
 * contract tests check the strong or the weak form of each accordingly.
 *
 * <p>Every error is a {@link dev.tend.kv.KvException} with a one-line message; the subclasses fall in four families
 * ({@link dev.tend.kv.NotFoundException}, {@link dev.tend.kv.InvalidInputException},
 * {@link dev.tend.kv.ConflictException}, {@link dev.tend.kv.StoreException}), each with its {@code tend} exit status
 * (docs/architecture.md, Errors). {@link dev.tend.kv.StoreUrls} hides the secrets of a URL in messages.
 *
 * <p>Only {@link dev.tend.kv.KvStoreBuilder} uses anything of Tend's outside this package: the backend SPI
 * ({@code dev.tend.kv.spi}), to find the backend that serves a URL's scheme, and the embedded backend, which it opens
 * for {@code file:} URLs without a {@link java.util.ServiceLoader} scan.
 */
package dev.tend.kv;
