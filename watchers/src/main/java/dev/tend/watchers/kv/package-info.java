/**
 * The {@code kv} watcher type: copies a KV key's value (in watch mode also a filter's or a whole bucket's values) into
 * the machine's data, fires {@code success_transition} when it changed (a deleted key is a change) and
 * {@code fail_transition} when the store, the bucket or the key cannot be read. {@code mode: poll} (the reference's)
 * reads every {@code interval} and on state changes; {@code mode: watch} (Tend only) keeps a store watch open while the
 * watcher is active and retries failures with a back-off. Only the store's API ({@code context.store()}) is used.
 *
 * <p>Entry point: {@link dev.tend.watchers.kv.KvWatcherFactory}, whose {@code create} makes a
 * {@link dev.tend.watchers.kv.PollingKvWatcher} or a {@link dev.tend.watchers.kv.WatchingKvWatcher}. Read those first,
 * then {@link dev.tend.watchers.kv.KvValues} (how a value becomes data, and when two are equal) and
 * {@link dev.tend.watchers.kv.WatchView} (what a watch has seen, judged as a poll judges a read). With
 * {@code hiera_config}, {@link dev.tend.watchers.kv.HieraValues} resolves object values with
 * {@code dev.tend.machine.hiera} (one resolver per watcher, on the compiler the factory looked up once); a value it
 * cannot resolve is an {@link dev.tend.watchers.kv.InvalidValueException} (the watcher's {@code error}), which watch
 * mode logs once per revision of the key ({@code ValueWarnings}).
 *
 * <p>Threads: both watchers, with their {@code WatchView}, {@code FailureLog}, {@code ValueWarnings} and {@code Backoff} (and the watch mode's {@code BucketCreationWait}), live on the
 * watcher's lane. Reading a key and opening a watch are blocking work whose result comes back to the lane; what the
 * store's watch delivers on the store's thread is handed to the lane at once, and polls, retries and resyncs are lane
 * timers.
 *
 * <p>User-facing behaviour: docs/watchers.md, section {@code kv}.
 */
package dev.tend.watchers.kv;
