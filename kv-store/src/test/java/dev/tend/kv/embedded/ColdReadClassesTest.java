package dev.tend.kv.embedded;

import dev.tend.kv.Bucket;
import dev.tend.kv.BucketConfig;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh process that opens a bucket and reads a key (what {@code tend kv get --raw} does) reads the bucket config
 * of its log header without Jackson's databind, and without Jackson at all: the compact reader answers. One that
 * writes a key (what {@code tend kv put} does) does not load the bucket's index: it reads no whole snapshot, and
 * neither the index load's recovery nor the upkeep that comes with the index starts.
 */
class ColdReadClassesTest {

    /**
     * Opens the store in {@code args[0]}, prints bucket {@code args[1]}'s key {@code args[2]}; or, with a fourth
     * argument, puts that value into the key and prints the revision.
     */
    public static void main(String[] args) {
        try (KvStore store = KvStore.open(args[0])) {
            if (args.length > 3) {
                System.out.print(store.bucket(args[1]).put(args[2], args[3]));
            } else {
                System.out.print(store.bucket(args[1]).get(args[2]).orElseThrow().valueAsString());
            }
        }
    }

    private static List<String> classesLoaded(Path tmp, String... args) throws Exception {
        Path log = tmp.resolve("classes.log");
        List<String> command = new java.util.ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xshare:off",
                "-Xlog:class+load:file=" + log, "-cp", System.getProperty("java.class.path"),
                ColdReadClassesTest.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(tmp.resolve("stderr.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(tmp.resolve("stderr.txt"))).isZero();
        List<String> classes = new java.util.ArrayList<>(Files.readAllLines(log));
        classes.add("stdout: " + out);
        return classes;
    }

    @Test
    void aColdPutDoesNotLoadTheIndex(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("store");
        try (EmbeddedKvStore store = (EmbeddedKvStore) KvStore.builder().directory(dir).build()) {
            Bucket b = store.create(BucketConfig.builder("CFG").history(3).build());
            for (int i = 0; i < 100; i++) {
                b.put("k" + i, "v");
            }
            store.engine("CFG").writeSnapshot();
            b.put("k1", "after the snapshot");
        }
        List<String> classes = classesLoaded(tmp, dir.toString(), "CFG", "k2", "w");
        assertThat(classes).contains("stdout: 102");
        assertThat(classes).anyMatch(l -> l.contains(PointWrite.class.getName()));
        assertThat(classes).noneMatch(l -> l.contains(HintFile.Snapshot.class.getName()));
        assertThat(classes).noneMatch(l -> l.contains(Recovery.class.getName()));
        assertThat(classes).noneMatch(l -> l.contains(Maintenance.class.getName()));
        try (EmbeddedKvStore store = (EmbeddedKvStore) KvStore.builder().directory(dir).build()) {
            assertThat(store.bucket("CFG").get("k2").map(e -> e.valueAsString() + "@" + e.revision()))
                    .contains("w@102");
        }
    }

    @Test
    void aColdGetLoadsNoJackson(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("store");
        try (KvStore store = KvStore.builder().directory(dir).build()) {
            Bucket b = store.create(BucketConfig.builder("CFG").history(3).ttl(Duration.ofHours(1))
                    .description("cold").build());
            b.put("k", "v");
        }
        Path log = tmp.resolve("classes.log");
        Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xshare:off", "-Xlog:class+load:file=" + log, "-cp", System.getProperty("java.class.path"),
                ColdReadClassesTest.class.getName(), dir.toString(), "CFG", "k"))
                .redirectError(tmp.resolve("stderr.txt").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(Files.readString(tmp.resolve("stderr.txt"))).isEqualTo("v");
        List<String> classes = Files.readAllLines(log);
        assertThat(classes).anyMatch(l -> l.contains(CompactConfigJson.class.getName()));
        assertThat(classes).noneMatch(l -> l.contains("com.fasterxml.jackson"));
    }
}
