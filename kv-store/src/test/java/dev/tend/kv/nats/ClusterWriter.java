package dev.tend.kv.nats;

import dev.tend.kv.Bucket;
import dev.tend.kv.KvException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a new key per write, {@code k-000001}, {@code k-000002}, ..., on its own thread until stopped. A failed put
 * is retried on the same key with the same value, so a put the server stored but could not acknowledge leaves at
 * most an extra revision of that key; a write counts as acknowledged only once put returned its revision.
 */
final class ClusterWriter implements AutoCloseable {
    private static final long PACE_MS = 2;
    private static final long RETRY_PAUSE_MS = 20;

    /** An acknowledged write and when (System.nanoTime) the acknowledgement came back. */
    record Ack(String key, byte[] value, long revision, long atNanos) {
    }

    private final Bucket bucket;
    private final Thread thread;
    private final List<Ack> acks = new ArrayList<>();
    private volatile boolean running = true;
    private volatile int failures;
    private volatile KvException lastFailure;
    private volatile long longestFailureNanos;

    ClusterWriter(Bucket bucket) {
        this.bucket = bucket;
        this.thread = new Thread(this::run, "tend-test-cluster-writer");
        this.thread.setDaemon(true);
    }

    ClusterWriter start() {
        thread.start();
        return this;
    }

    private void run() {
        for (int n = 1; running; n++) {
            String key = String.format("k-%06d", n);
            byte[] value = ("value " + n).getBytes(StandardCharsets.UTF_8);
            while (running) {
                long started = System.nanoTime();
                try {
                    long revision = bucket.put(key, value);
                    synchronized (this) {
                        acks.add(new Ack(key, value, revision, System.nanoTime()));
                    }
                    // Paced, so that reading every write back from each pair of survivors stays quick.
                    pause(PACE_MS);
                    break;
                } catch (KvException e) {
                    failures++;
                    lastFailure = e;
                    longestFailureNanos = Math.max(longestFailureNanos, System.nanoTime() - started);
                    pause(RETRY_PAUSE_MS);
                }
            }
        }
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    synchronized int acked() {
        return acks.size();
    }

    synchronized List<Ack> acks() {
        return List.copyOf(acks);
    }

    int failures() {
        return failures;
    }

    /** The failed attempts and the last one's error, for a failing test's message. */
    String failureSummary() {
        KvException last = lastFailure;
        return failures + " failed attempts" + (last == null ? "" : " (the longest took "
                + longestFailureNanos / 1_000_000 + " ms), the last: " + last.getMessage());
    }

    /** Stops writing and waits for the thread to end. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the cluster writer did not stop");
        }
    }
}
