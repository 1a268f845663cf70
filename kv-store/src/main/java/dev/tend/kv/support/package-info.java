/**
 * Not API: what kv-store's implementation packages ({@code embedded}, {@code nats}, {@code backup}) and Tend's CLI
 * (and, for {@code OnDemandPool}, the machine runtime) share. It is public only because Java has no way to share a package with some packages and not others; anything
 * here may change in any release without notice. Applications use {@link dev.tend.kv}.
 *
 * <p>Today it holds the one codec of a bucket's configuration. Start at {@link dev.tend.kv.support.ConfigField}: a
 * table of {@link dev.tend.kv.BucketConfig}'s settings with a column for each JSON document a config is written in
 * ({@link dev.tend.kv.support.ConfigShape}: the log header and {@code config.json}, a backup's {@code bucket.json},
 * {@code tend kv info --json}), each column naming the key and the {@link dev.tend.kv.support.JsonForm} of the
 * value. {@link dev.tend.kv.support.BucketConfigJson} writes and reads those documents with jackson-core's
 * streaming API (no databind: opening a bucket reads its log header, and a one-shot command cannot afford a cold
 * {@code ObjectMapper}); what it reads is a {@link dev.tend.kv.support.ConfigValues}, checked when turned into a
 * config. The NATS backend maps the same fields to jnats in {@code dev.tend.kv.nats.NatsConfigs}, switching over
 * {@link dev.tend.kv.support.ConfigField}, and the embedded store reads its own compact header JSON without Jackson
 * ({@code dev.tend.kv.embedded.CompactConfigJson}) along the same table.
 *
 * <p>It lives here, not in {@code embedded} or {@code backup}, because all of them and the CLI use it and none
 * should depend on another for it; {@code dev.tend.kv} keeps only the API. {@link dev.tend.kv.support.DaemonThreads}
 * names the threads of both backends; {@link dev.tend.kv.support.OnDemandPool} (threads made only when none is free)
 * is the embedded store's watch threads and, in the machine runtime, its bounded pools.
 */
package dev.tend.kv.support;
