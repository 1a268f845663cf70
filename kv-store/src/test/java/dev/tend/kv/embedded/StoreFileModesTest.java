package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import dev.tend.kv.StoreMode;
import dev.tend.kv.support.FileModes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The store's files and directories are created owner-only (0600, 0700), or for the group (0660, 2770) when the
 * store mode says so, whatever the umask: data files, the head, lock and notify files, and the temporary files of a
 * compaction, a snapshot and config.json once renamed into place. Files that exist keep their mode; check reports
 * those more open than the store's mode.
 */
class StoreFileModesTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void posixOnly() {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("unix"), "a file system with modes");
    }

    /** For the umask tests: fills a store in {@code args[0]} with store mode {@code args[1]} as {@link #fill} does. */
    public static void main(String[] args) {
        fill(Path.of(args[0]), StoreMode.valueOf(args[1]));
    }

    /** Creates the store, a bucket, a snapshot, and a compaction that rewrites the log and config.json. */
    private static void fill(Path dir, StoreMode mode) {
        try (EmbeddedKvStore store = (EmbeddedKvStore) KvStore.builder().directory(dir).storeMode(mode).build()) {
            Bucket b = store.create(BucketConfig.builder("CFG").history(3).build());
            for (int i = 0; i < 20; i++) {
                b.put("k" + (i % 4), "secret " + i);
            }
            store.engine("CFG").writeSnapshot();
            store.update(BucketConfig.builder("CFG").history(1).build());
            b.put("after", "compaction");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void ownerOnlyByDefault() throws Exception {
        Path dir = tmp.resolve("var/kv");
        fill(dir, StoreMode.OWNER);
        assertModes(dir, 0600, 0700);
        assertThat(mode(tmp.resolve("var"))).as("a parent Tend created is not the store's")
                .isNotEqualTo(0700);
    }

    @Test
    void forTheGroupWhenConfigured() throws Exception {
        Path dir = tmp.resolve("kv");
        fill(dir, StoreMode.GROUP);
        assertModes(dir, 0660, 02770);
    }

    @Test
    void theUmaskTakesNothingAwayAndAddsNothing() throws Exception {
        Path group = tmp.resolve("group");
        runUnderUmask("077", group, StoreMode.GROUP);
        assertModes(group, 0660, 02770);
        Path owner = tmp.resolve("owner");
        runUnderUmask("000", owner, StoreMode.OWNER);
        assertModes(owner, 0600, 0700);
    }

    @Test
    void filesThatExistKeepTheirModeAndCheckReportsThoseMoreOpen() throws Exception {
        Path dir = tmp.resolve("kv");
        fill(dir, StoreMode.OWNER);
        Path log = dir.resolve("CFG/log-2.tkv");
        Files.setPosixFilePermissions(log, FileModes.permissions(0644));
        try (EmbeddedKvStore store = (EmbeddedKvStore) KvStore.builder().directory(dir).build()) {
            CheckReport before = store.check("CFG");
            assertThat(before.ok()).isFalse();
            assertThat(before.problems()).containsExactly(log + " has mode 0644, more open than 0600 (store mode "
                    + "owner); fix: chmod 0600 " + log);
            store.bucket("CFG").put("k0", "more");
            store.engine("CFG").writeSnapshot();
        }
        assertThat(mode(log)).as("never changed behind the user's back").isEqualTo(0644);
        Files.setPosixFilePermissions(log, FileModes.permissions(0600));
        Files.setPosixFilePermissions(dir.resolve("CFG"), FileModes.permissions(0755));
        try (EmbeddedKvStore store = (EmbeddedKvStore) KvStore.builder().directory(dir).build()) {
            assertThat(store.check("CFG").problems()).singleElement().asString()
                    .startsWith(dir.resolve("CFG") + " has mode 0755, more open than 0700")
                    .endsWith("fix: chmod 0700 " + dir.resolve("CFG"));
        }
    }

    @Test
    void aGroupStoreAcceptsGroupModesButNotOthers() throws Exception {
        Path dir = tmp.resolve("kv");
        fill(dir, StoreMode.GROUP);
        try (EmbeddedKvStore store = (EmbeddedKvStore) KvStore.builder().directory(dir).storeMode(StoreMode.GROUP)
                .build()) {
            assertThat(store.check("CFG").ok()).as("%s", store.check("CFG")).isTrue();
            Path config = dir.resolve("CFG/config.json");
            Files.setPosixFilePermissions(config, FileModes.permissions(0664));
            assertThat(store.check("CFG").problems()).singleElement().asString()
                    .isEqualTo(config + " has mode 0664, more open than 0660 (store mode group); fix: chmod 0660 "
                            + config);
        }
        long entries;
        try (Stream<Path> files = Files.list(dir.resolve("CFG"))) {
            entries = files.count();
        }
        try (EmbeddedKvStore store = (EmbeddedKvStore) KvStore.builder().directory(dir).build()) {
            assertThat(store.check("CFG").problems()).as("as an owner-only store, the store, the bucket and each file")
                    .hasSize((int) entries + 2);
        }
    }

    /** Every file under {@code dir} has {@code file}, every directory (itself included) {@code directory}. */
    private static void assertModes(Path dir, int file, int directory) throws Exception {
        Map<String, String> modes = new TreeMap<>();
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                String name = dir.relativize(p).toString();
                modes.put(name, FileModes.octal(mode(p)));
                expected.put(name, FileModes.octal(Files.isDirectory(p) ? directory : file));
            }
        }
        assertThat(modes).isEqualTo(expected);
        assertThat(modes.keySet()).as("a compaction, a snapshot and a config rewrite happened")
                .contains("CFG/log-2.tkv", "CFG/index-2.hint", "CFG/config.json", "CFG/head", "CFG/lock",
                        "CFG/notify")
                .noneMatch(n -> n.endsWith(".tmp"));
    }

    private static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private void runUnderUmask(String umask, Path dir, StoreMode mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path err = tmp.resolve("child-" + umask + ".stderr");
        Process p = new ProcessBuilder(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$@\"", "sh", java,
                "-XX:TieredStopAtLevel=1", "-cp", ChildJvm.testClasspath(), StoreFileModesTest.class.getName(),
                dir.toString(), mode.name()))
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(err, StandardCharsets.UTF_8)).isZero();
    }
}
