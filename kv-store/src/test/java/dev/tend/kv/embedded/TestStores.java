package dev.tend.kv.embedded;

import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.Durability;
import dev.tend.kv.spi.KvStoreOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/** Opens the embedded engine on a chosen {@link StorageIo}, as the durability tests need. */
final class TestStores {
    private TestStores() {
    }

    static EmbeddedKvStore open(Path root, StorageIo io) {
        return open(root, io, null, null);
    }

    static EmbeddedKvStore open(Path root, StorageIo io, ExecutorService watchExecutor,
                                ScheduledExecutorService scheduler) {
        KvStoreOptions options = new KvStoreOptions(root.toAbsolutePath().toUri(), Clock.systemUTC(),
                Durability.DURABLE, watchExecutor, scheduler, ConnectionOptions.defaults());
        return new EmbeddedKvStore(root.toAbsolutePath(), options, io);
    }

    /** Closes a store whose machine may be down, without waiting forever or letting its failure escape. */
    static Throwable closeQuietly(AutoCloseable store, long timeoutMillis) {
        if (store == null) {
            return null;
        }
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                store.close();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "close-crashed-store");
        t.setDaemon(true);
        t.start();
        try {
            t.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            return new IllegalStateException("close() did not return within " + timeoutMillis + " ms");
        }
        return failure[0];
    }
}
