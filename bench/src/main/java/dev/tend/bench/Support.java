package dev.tend.bench;

import dev.tend.kv.Durability;
import dev.tend.kv.KvStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/** Keys, values, clocks, statistics and formatting shared by the harness and its child JVMs. */
final class Support {

    /** Every value the benchmark writes has this size. */
    static final int VALUE_SIZE = 128;
    /** The working set of the put, get, watch and history scenarios. */
    static final int KEYS = 1_000;

    private static final Clock WALL = Clock.systemUTC();

    private Support() {
    }

    /** Key number {@code i}: {@code key-0000042}. Same in every JVM. */
    static String key(long i) {
        return String.format(Locale.ROOT, "key-%07d", i);
    }

    /** The first {@code n} keys. */
    static String[] keys(int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = key(i);
        }
        return keys;
    }

    /** A 128-byte value whose first 8 bytes are {@code stamp} (big-endian) and the rest a fixed pattern. */
    static byte[] value(long stamp) {
        byte[] v = new byte[VALUE_SIZE];
        for (int i = 8; i < v.length; i++) {
            v[i] = (byte) (i * 31 + 7);
        }
        ByteBuffer.wrap(v).putLong(0, stamp);
        return v;
    }

    /** The stamp {@link #value(long)} put in a value. */
    static long stamp(byte[] value) {
        return value.length >= 8 ? ByteBuffer.wrap(value).getLong(0) : Long.MIN_VALUE;
    }

    /**
     * The wall clock in microseconds since the epoch. On Linux with Java 17 {@code Clock.systemUTC()} reads
     * {@code CLOCK_REALTIME} with (at least) microsecond precision, and every process on the host reads the same
     * clock, so values from two JVMs can be subtracted (unlike {@link System#nanoTime()}).
     */
    static long wallMicros() {
        Instant now = WALL.instant();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    static KvStore openStore(Path dir, Durability durability) {
        return KvStore.builder().directory(dir).durability(durability).build();
    }

    /** Median of the values (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** The nearest-rank percentile of sorted values, {@code p} in (0, 100]. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** 12,345 */
    static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    /** Microseconds as {@code 0.123 ms} / {@code 12.3 ms}. */
    static String micros(double us) {
        double ms = us / 1000.0;
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.3f ms", ms);
        }
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }

    static String millis(double ms) {
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        return String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    static String fixed(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** The value of the option at {@code args[i - 1]}, for the benches' own small option parsers. */
    static String optionValue(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    /** Ends a bench's run on a bad option: {@code BENCH: MESSAGE} on standard error, exit status 2. */
    static void badOption(String bench, String message) {
        System.err.println(bench + ": " + message);
        System.exit(2);
    }

    /** Ends a bench's run with a one-line error unless {@code dir}, its {@code --dir}, is a directory. */
    static void requireDirectory(String bench, Path dir) {
        if (!Files.isDirectory(dir)) {
            badOption(bench, "--dir " + dir + ": no such directory");
        }
    }

    /** The positive count given to the option at {@code args[i - 1]}; a one-line error naming it otherwise. */
    static int positiveOption(String[] args, int i) {
        String value = optionValue(args, i);
        try {
            return positive(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(args[i - 1] + " needs a positive number, not \"" + value + "\"");
        }
    }

    /** A positive count; {@code 1_000} and {@code 1,000} are accepted. */
    static int positive(String s) {
        try {
            int n = Integer.parseInt(s.replace("_", "").replace(",", ""));
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a positive number, not \"" + s + "\"");
        }
    }

    /** The first line of a throwable's message, with its type. */
    static String oneLine(Throwable t) {
        String m = t.getMessage();
        String line = m == null ? "" : m.lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (line.isEmpty() ? "" : ": " + line);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    /** Bytes in the files under a directory. */
    static long treeSize(Path root) {
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return -1;
        }
    }
}
