package dev.tend.kv.spi;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.Durability;
import dev.tend.kv.StoreMode;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a backend is opened with.
 *
 * @param url           the store's URL
 * @param clock         the clock for entry times and expiry
 * @param durability    when writes are acknowledged
 * @param watchExecutor runs watch deliveries, or null for the backend's own (shut down on close); a backend may
 *                      deliver on threads of its own instead (NATS does)
 * @param scheduler     runs background work, or null for the backend's own (shut down on close); unused by a backend
 *                      without any (NATS)
 * @param connection    credentials, TLS and timeouts for a backend behind a server (ignored by the embedded one)
 * @param storeMode     who may read and write the files of a backend that keeps them locally (ignored by NATS)
 */
public record KvStoreOptions(URI url, Clock clock, Durability durability, ExecutorService watchExecutor,
                             ScheduledExecutorService scheduler, ConnectionOptions connection, StoreMode storeMode) {

    public KvStoreOptions {
        if (storeMode == null) {
            storeMode = StoreMode.OWNER;
        }
    }

    /** The options with files for their owner only ({@link StoreMode#OWNER}). */
    public KvStoreOptions(URI url, Clock clock, Durability durability, ExecutorService watchExecutor,
                          ScheduledExecutorService scheduler, ConnectionOptions connection) {
        this(url, clock, durability, watchExecutor, scheduler, connection, StoreMode.OWNER);
    }
}
