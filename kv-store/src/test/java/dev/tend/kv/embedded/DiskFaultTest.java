package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;
import dev.tend.kv.KvException;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreException;
import dev.tend.kv.embedded.FaultyStorageIo.Fault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A full disk and a read-only file system: writes fail with a {@link StoreException} whose one-line message says
 * why, everything acknowledged before stays readable, and writing works again once the disk has room (the failed
 * write leaves no damage behind, e.g. a half record that would later read as corruption or a reused revision).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DiskFaultTest {
    private static final String BUCKET = "df";
    private static final List<String> KEYS = List.of("k.1", "k.2", "big.3", "mid.4");

    @TempDir
    Path tmp;

    /** key -> (revision -> value) of acknowledged puts. */
    private final Map<String, Map<Long, byte[]>> acked = new LinkedHashMap<>();
    private int seq;

    private long put(Bucket b, String key) {
        byte[] v = CrashValues.make(key, 1, ++seq);
        long rev = b.put(key, v);
        acked.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(rev, v);
        return rev;
    }

    private long lastAcked() {
        return acked.values().stream().flatMap(m -> m.keySet().stream()).mapToLong(Long::longValue).max().orElse(0);
    }

    /** Every acknowledged put is readable at its revision, the latest one by get; nothing is damaged. */
    private void assertAcknowledgedReadable(Bucket b, String ctx) {
        Set<Long> revisions = new HashSet<>();
        for (String key : KEYS) {
            List<Entry> history = b.history(key);
            long prev = 0;
            for (Entry e : history) {
                assertThat(e.revision()).as(ctx + ": history of %s strictly increasing", key).isGreaterThan(prev);
                prev = e.revision();
                assertThat(revisions.add(e.revision())).as(ctx + ": revision %d under one key only", e.revision())
                        .isTrue();
                CrashValues.decode(e.value());
            }
            for (Map.Entry<Long, byte[]> a : acked.getOrDefault(key, Map.of()).entrySet()) {
                Optional<Entry> e = b.get(key, a.getKey());
                assertThat(e).as(ctx + ": acknowledged %s at revision %d", key, a.getKey()).isPresent();
                assertThat(e.get().value()).as(ctx + ": value of %s at %d", key, a.getKey()).isEqualTo(a.getValue());
            }
        }
    }

    private static void assertClearMessage(Throwable t, String ctx, String... anyOf) {
        assertThat(t).as(ctx).isInstanceOf(StoreException.class).isNotInstanceOf(CorruptDataException.class);
        String m = t.getMessage();
        assertThat(m).as(ctx + ": one-line message").isNotBlank().doesNotContain("\n").doesNotContain("\tat ");
        assertThat(Stream.of(anyOf).anyMatch(w -> m.toLowerCase().contains(w)))
                .as(ctx + ": message \"%s\" says why (one of %s)", m, List.of(anyOf)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"FULL_ON_WRITE", "FULL_ON_FORCE"})
    void diskFullFailsClearlyAndLosesNothing(Fault fault) {
        Path dir = tmp.resolve("store");
        FaultyStorageIo io = new FaultyStorageIo();
        List<String> failedKeys = new ArrayList<>();
        try (KvStore store = TestStores.open(dir, io)) {
            Bucket b = store.create(BucketConfig.builder(BUCKET).history(50).build());
            for (int i = 0; i < 12; i++) {
                put(b, KEYS.get(i % KEYS.size()));
            }
            long before = lastAcked();

            io.fault(fault);
            for (int i = 0; i < 3; i++) {
                String key = KEYS.get(i % KEYS.size());
                long n = 100 + i;
                Throwable t = catchThrowable(() -> b.put(key, CrashValues.make(key, 2, n)));
                assertClearMessage(t, fault + ": put on a full disk", "space", "full");
                failedKeys.add(key);
            }
            Throwable del = catchThrowable(() -> b.delete("k.1"));
            assertClearMessage(del, fault + ": delete on a full disk", "space", "full");
            assertThat(io.failures()).as("the store did write (and fail)").isPositive();

            assertAcknowledgedReadable(b, fault + ", disk full, same store");
            if (b.get("k.1").isEmpty()) {
                // Not a spec violation (a failed write's outcome is unknown to its caller), but worth knowing.
                System.out.println("DiskFaultTest " + fault + ": a delete that failed is visible to reads");
            }

            io.fault(Fault.NONE);
            long after = put(b, "k.2");
            assertThat(after).as("first revision after the disk has room again").isGreaterThan(before);
            for (int i = 0; i < 5; i++) {
                put(b, KEYS.get(i % KEYS.size()));
            }
            assertAcknowledgedReadable(b, fault + ", room again, same store");
        }
        // A fresh open (recovery) sees every acknowledged write, no damage, no revision twice.
        try (KvStore store = TestStores.open(dir, new NioStorageIo())) {
            Bucket b = store.bucket(BUCKET);
            assertAcknowledgedReadable(b, fault + ", reopened");
            long newest = KEYS.stream().flatMap(k -> b.history(k).stream()).mapToLong(Entry::revision).max()
                    .orElse(0);
            long rev = put(b, "k.1");
            assertThat(rev).as("a put after reopening takes a new revision").isGreaterThan(newest);
            assertThat(b.status().lastRevision()).isEqualTo(rev);
        }
        try (KvStore store = TestStores.open(dir, new NioStorageIo())) {
            assertAcknowledgedReadable(store.bucket(BUCKET), fault + ", reopened twice");
        }
    }

    @Test
    void readOnlyFileSystemFailsClearlyAndKeepsReadsWorking() {
        Path dir = tmp.resolve("store");
        FaultyStorageIo io = new FaultyStorageIo();
        try (KvStore store = TestStores.open(dir, io)) {
            Bucket b = store.create(BucketConfig.builder(BUCKET).history(10).build());
            for (int i = 0; i < 8; i++) {
                put(b, KEYS.get(i % KEYS.size()));
            }
            long before = lastAcked();

            // The file system is remounted read-only under a running store (as the kernel does after disk errors).
            io.fault(Fault.READ_ONLY);
            Throwable t = catchThrowable(() -> b.put("k.1", CrashValues.make("k.1", 3, 1)));
            assertClearMessage(t, "put on a read-only file system", "read-only", "read only");
            Throwable c = catchThrowable(() -> store.create(BucketConfig.builder("other").build()));
            assertThat(c).as("creating a bucket on a read-only file system").isInstanceOf(KvException.class);
            assertThat(c.getMessage()).doesNotContain("\n");
            assertAcknowledgedReadable(b, "read-only, same store");

            // Another store opened on the read-only file system: it may refuse, but only with a clear error.
            Throwable other = catchThrowable(() -> {
                try (KvStore ro = TestStores.open(dir, io)) {
                    assertAcknowledgedReadable(ro.bucket(BUCKET), "read-only, second store");
                }
            });
            if (other != null) {
                System.out.println("DiskFaultTest: opening a store on a read-only file system: " + other);
                assertClearMessage(other, "opening a store on a read-only file system", "read-only", "read only");
            }

            io.fault(Fault.NONE);
            assertThat(put(b, "k.1")).isGreaterThan(before);
        }
        try (KvStore store = TestStores.open(dir, new NioStorageIo())) {
            assertAcknowledgedReadable(store.bucket(BUCKET), "reopened after read-only");
        }
    }

    /** The real thing, where permissions apply (not as root, which ignores them). */
    @Test
    void writeProtectedDirectoryFailsClearly() throws Exception {
        Path dir = tmp.resolve("store");
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            Bucket b = store.create(BucketConfig.builder(BUCKET).history(10).build());
            put(b, "k.1");
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(dir)) {
            all = walk.toList();
        }
        Map<Path, Set<PosixFilePermission>> saved = new LinkedHashMap<>();
        try {
            for (Path p : all) {
                saved.put(p, Files.getPosixFilePermissions(p));
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-xr-xr-x"
                        : "r--r--r--"));
            }
            assumeThat(Files.isWritable(dir.resolve(BUCKET))).as("permissions apply (not running as root)").isFalse();
            Throwable t = catchThrowable(() -> {
                try (KvStore store = KvStore.builder().directory(dir).build()) {
                    store.bucket(BUCKET).put("k.1", CrashValues.make("k.1", 4, 1));
                }
            });
            assertThat(t).isInstanceOf(StoreException.class);
            assertThat(t.getMessage()).doesNotContain("\n").containsAnyOf(dir.toString(), BUCKET);
        } finally {
            for (Map.Entry<Path, Set<PosixFilePermission>> e : saved.entrySet()) {
                Files.setPosixFilePermissions(e.getKey(), e.getValue());
            }
        }
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            assertAcknowledgedReadable(store.bucket(BUCKET), "after permissions came back");
        }
    }
}
