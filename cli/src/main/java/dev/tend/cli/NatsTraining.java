package dev.tend.cli;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.Entry;
import dev.tend.kv.KvStore;
import dev.tend.kv.Watch;
import dev.tend.kv.WatchListener;
import dev.tend.kv.WatchOptions;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The NATS part of {@link AgentCdsTraining}, in the training agent's JVM: when a {@code nats-server} is installed
 * ({@code /usr/sbin}, {@code /usr/local/bin}, {@code /usr/bin}), starts one with JetStream on a free loopback port and
 * storage under the given directory, and does there what an agent on NATS does first (connect, wait for a bucket's
 * creation, read it, watch it), so that the client's classes are in the archive. Without one it does nothing: the
 * build never depends on a server. Failures are ignored (training only).
 */
final class NatsTraining {
    /** How long the server may take to accept a connection, and each step to answer. */
    private static final long WAIT_MS = 10_000;
    private static final List<String> SERVERS = List.of("/usr/sbin/nats-server", "/usr/local/bin/nats-server",
            "/usr/bin/nats-server");

    private NatsTraining() {
    }

    static void run(Path dir) {
        Path server = SERVERS.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (server == null) {
            return;
        }
        Process p = null;
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Files.createDirectories(dir);
            p = new ProcessBuilder(server.toString(), "-js", "-a", "127.0.0.1", "-p", Integer.toString(port), "-sd",
                    dir.toString()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String url = "nats://127.0.0.1:" + port;
            long until = System.currentTimeMillis() + WAIT_MS;
            KvStore store = null;
            while (store == null && System.currentTimeMillis() < until && p.isAlive()) {
                try {
                    store = KvStore.open(url);
                } catch (RuntimeException e) {
                    Thread.sleep(50); // not listening yet
                }
            }
            if (store != null) {
                try (KvStore s = store) {
                    exercise(s);
                }
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // Training only.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (p != null) {
                p.destroy();
                try {
                    if (!p.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    p.destroyForcibly();
                }
            }
        }
    }

    private static void exercise(KvStore store) throws InterruptedException {
        CountDownLatch created = new CountDownLatch(1);
        Bucket bucket;
        try (KvStore.CreationNotice notice = store.whenCreated("TRAINING", created::countDown)) {
            bucket = store.create(BucketConfig.builder("TRAINING").history(5).build());
            created.await(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        bucket.put("key", "training".getBytes(StandardCharsets.UTF_8));
        CountDownLatch seen = new CountDownLatch(2);
        try (Watch w = store.bucket("TRAINING").watch(List.of(), WatchOptions.defaults(), new WatchListener() {
            @Override
            public void onEntry(Entry entry) {
                seen.countDown();
            }

            @Override
            public void onCaughtUp() {
                seen.countDown();
            }
        })) {
            seen.await(WAIT_MS, TimeUnit.MILLISECONDS);
        }
        bucket.get("key");
        store.bucketNames();
    }
}
