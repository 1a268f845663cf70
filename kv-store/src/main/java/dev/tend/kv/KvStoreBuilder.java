package dev.tend.kv;

import dev.tend.kv.embedded.EmbeddedBackendProvider;
import dev.tend.kv.spi.KvBackendProvider;
import dev.tend.kv.spi.KvStoreOptions;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Options for opening a {@link KvStore}. Everything but the URL has a default: the system UTC clock, durable
 * writes, executors the store creates and shuts down itself, and files only their owner may read.
 */
public final class KvStoreBuilder {
    /** The built-in backend (stateless). */
    private static final KvBackendProvider EMBEDDED = new EmbeddedBackendProvider();
    private String url;
    private Clock clock = Clock.systemUTC();
    private Durability durability = Durability.DURABLE;
    private StoreMode storeMode = StoreMode.OWNER;
    private ExecutorService watchExecutor;
    private ScheduledExecutorService scheduler;
    private ConnectionOptions connection = ConnectionOptions.defaults();

    KvStoreBuilder() {
    }

    /** {@code file:///path}, a plain path, or {@code nats://host:port[,host:port...]}. */
    public KvStoreBuilder url(String url) {
        this.url = Objects.requireNonNull(url, "url");
        return this;
    }

    /** The embedded store in a directory. */
    public KvStoreBuilder directory(Path dir) {
        this.url = dir.toAbsolutePath().toUri().toString();
        return this;
    }

    /**
     * The clock that stamps entries and ages them out; inject one to test TTLs without sleeping. On NATS entries carry
     * the server's time, and the clock only ages markers for {@link Bucket#purgeDeletes}.
     */
    public KvStoreBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public KvStoreBuilder durability(Durability durability) {
        this.durability = Objects.requireNonNull(durability, "durability");
        return this;
    }

    /**
     * Who may read and write the embedded store's files: {@link StoreMode#OWNER} (the default) or
     * {@link StoreMode#GROUP}. The NATS backend ignores it.
     */
    public KvStoreBuilder storeMode(StoreMode storeMode) {
        this.storeMode = Objects.requireNonNull(storeMode, "storeMode");
        return this;
    }

    /** Runs the embedded store's watch deliveries (NATS watches deliver on their own threads); the caller owns it. */
    public KvStoreBuilder watchExecutor(ExecutorService executor) {
        this.watchExecutor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /**
     * Runs the embedded store's background work (compaction, index snapshots, expiry, polling); the caller owns it.
     * The NATS backend has none.
     */
    public KvStoreBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /** Credentials, TLS, name and timeouts for a store behind a server (NATS); the embedded store ignores them. */
    public KvStoreBuilder connection(ConnectionOptions connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
        return this;
    }

    /** Opens the store with the backend that serves the URL's scheme. */
    public KvStore build() {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("a store URL is required, e.g. file:///var/lib/tend/kv");
        }
        URI uri = parseUrl(url);
        KvStoreOptions options = new KvStoreOptions(uri, clock, durability, watchExecutor, scheduler, connection,
                storeMode);
        if (EMBEDDED.scheme().equalsIgnoreCase(uri.getScheme())) {
            // The embedded backend ships in this module, so file: URLs skip the ServiceLoader scan (the jar's
            // META-INF/services read through URL connections), which costs a one-shot command milliseconds.
            return EMBEDDED.open(options);
        }
        List<String> schemes = new ArrayList<>();
        for (KvBackendProvider provider : ServiceLoader.load(KvBackendProvider.class, KvStoreBuilder.class.getClassLoader())) {
            if (provider.scheme().equalsIgnoreCase(uri.getScheme())) {
                return provider.open(options);
            }
            schemes.add(provider.scheme());
        }
        throw new InvalidInputException("unsupported store URL \"" + StoreUrls.redact(url) + "\": use file:///path or "
                + "nats://host:port (available: " + String.join(", ", schemes) + ")");
    }

    static URI parseUrl(String url) {
        String u = url.trim();
        if (!u.contains(":/") && !u.startsWith("file:")) {
            return Path.of(u).toAbsolutePath().normalize().toUri();
        }
        try {
            URI uri = URI.create(u);
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException("no scheme");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            // The parser's message quotes the URL: redact it too.
            throw new InvalidInputException("invalid store URL \"" + StoreUrls.redact(url) + "\": "
                    + StoreUrls.redact(String.valueOf(e.getMessage())));
        }
    }
}
