package dev.tend.bench;

import dev.tend.kv.Bucket;
import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The other process of {@link WatcherBench}: writes to the agent's store the way {@code tend kv put} would, and records
 * when each write was acknowledged (wall clock, microseconds), which every process on the host reads alike.
 *
 * <pre>
 * paced  STORE BUCKET KEYS SAMPLES GAP_MS WARM RESULT  write i puts key k(i % KEYS), then waits GAP_MS; the first
 *                                                    WARM writes are a warm-up (marked, not measured)
 * burst  STORE BUCKET KEYS THREADS RESULT                puts every key once, as fast as THREADS writers can
 * </pre>
 * RESULT gets one line per write: {@code key commit-micros}, and {@code warm} after it for a warm-up write.
 */
public final class KvWriterChild {

    private KvWriterChild() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[1]);
        String bucketName = args[2];
        int keys = Integer.parseInt(args[3]);
        List<String> lines;
        try (KvStore kv = KvStore.builder().directory(store).durability(Durability.DURABLE).build()) {
            Bucket bucket = kv.bucket(bucketName);
            lines = switch (args[0]) {
                case "paced" -> paced(bucket, keys, Integer.parseInt(args[4]), Long.parseLong(args[5]),
                        Integer.parseInt(args[6]));
                case "burst" -> burst(bucket, keys, Integer.parseInt(args[4]));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            };
        }
        Path result = Path.of(args[args.length - 1]);
        Files.write(result, lines);
        System.out.println("RESULT writes=" + lines.size());
    }

    static String key(int i) {
        return "k" + i;
    }

    private static List<String> paced(Bucket bucket, int keys, int samples, long gapMillis, int warm) {
        List<String> lines = new ArrayList<>(warm + samples);
        for (int i = 0; i < warm + samples; i++) {
            String key = key(i % keys);
            bucket.put(key, "v" + i);
            lines.add(key + " " + Support.wallMicros() + (i < warm ? " warm" : ""));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(gapMillis));
        }
        return lines;
    }

    private static List<String> burst(Bucket bucket, int keys, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = first; i < keys; i += threads) {
                        bucket.put(key(i), "burst");
                        mine.add(key(i) + " " + Support.wallMicros());
                    }
                    return mine;
                }));
            }
            List<String> lines = new ArrayList<>(keys);
            for (Future<List<String>> f : parts) {
                lines.addAll(f.get());
            }
            return lines;
        } finally {
            pool.shutdownNow();
        }
    }
}
