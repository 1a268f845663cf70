/**
 * The NATS JetStream backend, on jnats: every bucket is an ordinary JetStream KV bucket (stream {@code KV_<bucket>},
 * subjects {@code $KV.<bucket>.<key>}) that jnats, the {@code nats} tool and other clients use alike.
 * {@code KvStore.open} finds it through {@link java.util.ServiceLoader}, registered for {@code nats:} URLs
 * ({@link dev.tend.kv.nats.NatsBackendProvider}). docs/nats.md is the user's guide; docs/architecture.md (kv-store)
 * lists where NATS differs from the embedded store.
 *
 * <p>Public are only that provider and {@link dev.tend.kv.nats.NatsConnections}, which opens jnats connections with the
 * store's URL syntax, credentials, TLS, timeouts and reconnect policy for Tend's other NATS users (the agent's event
 * publisher, {@code tend machine events --nats}); everything else is package-private.
 *
 * <p>Where to start reading: {@code NatsKvStore} (one connection; bucket management, restore, the backend's guarantees,
 * refusing servers before 2.9.0 through {@code NatsServerVersion}), {@code NatsBucket} (writes published with the KV
 * headers, reads through jnats' {@code KeyValue}, mirrors through {@code NatsMirrorReads}) and the watches:
 * {@code NatsWatches} (a store's: one jnats dispatcher thread reads every consumer they use, and listeners are called
 * on at most four threads, {@code tend-nats-watch-<n>}, one {@code DeliveryLane} per watch), {@code NatsBucketTail}
 * (the one ordered consumer of a bucket's new entries, shared by the store's watches of it and fanned out by key; it
 * also notices the bucket deleted or replaced, and has {@code SkippedEntries} find what a server before 2.9.12 passed
 * over on a purge of another key) and {@code NatsWatch} (its initial entries from an ordered consumer of
 * its own, which goes once they are read; then the tail); {@code NatsCreationNotices} tells listeners waiting for a
 * bucket of its creation (one subscription per store to JetStream's stream-created advisories). Around them: {@code NatsConfigs} maps a config to jnats' field by field over
 * {@link dev.tend.kv.support.ConfigField}; {@code NatsErrors} and {@code NatsConnectErrors} turn jnats' failures into
 * the API's one-line exceptions; {@code NatsUrl}, {@code NatsTls} (PEM files, with {@code HostCheckingTrustManager})
 * and {@code NatsConnectionEvents} (connection events to SLF4J) serve {@code NatsConnections}.
 */
package dev.tend.kv.nats;
