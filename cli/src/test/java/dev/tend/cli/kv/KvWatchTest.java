package dev.tend.cli.kv;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
@Execution(ExecutionMode.CONCURRENT) // its tests have a store each, and most wait for a watch
class KvWatchTest {

    private static final String STAMP = "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\] ";

    @TempDir
    Path tmp;
    KvCli cli;
    final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() {
        cli = new KvCli(tmp.resolve("kv"));
        cli.kv("add", "CFG");
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private CompletableFuture<KvCli.Result> background(String... args) {
        KvCli watcher = new KvCli(cli.dir);
        return CompletableFuture.supplyAsync(() -> watcher.kv(args), pool);
    }

    @Test
    void showsTheHistoryThenLiveWritesUntilTheTimeout() throws Exception {
        cli.kv("put", "CFG", "username", "myservice");
        cli.kv("del", "CFG", "username", "-f");
        cli.kv("put", "CFG", "other", "x");
        ByteArrayOutputStream live = new ByteArrayOutputStream();
        KvCli watcher = new KvCli(cli.dir);
        CompletableFuture<KvCli.Result> watch = CompletableFuture.supplyAsync(
                () -> watcher.kvSeen(live, "watch", "CFG", "username", "--timeout", "3s"), pool);
        // The history printed: the watch is live.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!live.toString(StandardCharsets.UTF_8).contains("DEL CFG.username")) {
            assertThat(watch).as("the watch runs until its history is out").isNotDone();
            assertThat(System.nanoTime()).as("the history within 30s").isLessThan(deadline);
            Thread.sleep(10);
        }
        cli.kv("put", "CFG", "username", "again");
        KvCli.Result r = watch.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).matches(""
                + STAMP + "PUT CFG.username: myservice\n"
                + STAMP + "DEL CFG.username\n"
                + STAMP + "PUT CFG.username: again\n");
    }

    @Test
    void latestStartsWithTheCurrentEntryOnly() throws Exception {
        cli.kv("put", "CFG", "k", "one");
        cli.kv("put", "CFG", "k", "two");
        cli.kv("purge", "CFG", "j", "-f");
        KvCli.Result r = cli.watchUntilShown("CFG", "PURGE CFG.j\n", "--latest");
        assertThat(r.out()).matches(STAMP + "PUT CFG.k: two\n" + STAMP + "PURGE CFG.j\n");
    }

    @Test
    void updatesOnlyShowsNothingOld() throws Exception {
        cli.kv("put", "CFG", "k", "one");
        CompletableFuture<KvCli.Result> watch = background("watch", "CFG", "--updates-only", "--timeout", "3s");
        Thread.sleep(1000);
        cli.kv("put", "CFG", "k", "new");
        assertThat(watch.get(30, TimeUnit.SECONDS).out()).matches(STAMP + "PUT CFG.k: new\n");
    }

    @Test
    void latestAndUpdatesOnlyTogetherIsAUsageError() {
        assertThat(cli.kv("watch", "CFG", "--latest", "--updates-only").code()).isEqualTo(2);
    }

    @Test
    void onceReturnsTheCurrentValueRawAtOnce() {
        cli.kv("put", "CFG", "username", "myservice");
        KvCli.Result r = cli.kv("watch", "CFG", "username", "--once", "--timeout", "10s");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("myservice");
    }

    @Test
    void onceWaitsForTheFirstValueIgnoringDeletes() throws Exception {
        cli.kv("put", "CFG", "username", "old");
        cli.kv("del", "CFG", "username", "-f");
        CompletableFuture<KvCli.Result> watch = background("watch", "CFG", "username", "--once", "--timeout", "20s");
        Thread.sleep(1000);
        cli.kv("purge", "CFG", "username", "-f");
        cli.kv("put", "CFG", "username", "fresh");
        KvCli.Result r = watch.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("fresh");
    }

    @Test
    void onceTimesOutWithExit1() {
        KvCli.Result r = cli.kv("watch", "CFG", "username", "--once", "--timeout", "300ms");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("tend: timeout\n");
    }

    @Test
    void jsonIsOneEntryPerLine() throws Exception {
        cli.kv("put", "CFG", "a", "1");
        cli.kv("put", "CFG", "b", "2");
        KvCli.Result r = cli.watchUntilShown("CFG", "\"key\":\"b\"", "--json");
        assertThat(r.out().lines()).hasSize(2).allMatch(l -> l.startsWith("{\"bucket\":\"CFG\",\"key\":"));
        assertThat(r.out().lines().toList().get(1)).matches("\\{\"bucket\":\"CFG\",\"key\":\"b\",\"revision\":2,"
                + "\"created\":\"[0-9T:.-]{29}Z\",\"delta\":0,\"operation\":\"PUT\",\"value\":\"2\"}");
    }

    @Test
    void endsWhenTheBucketIsRemoved() throws Exception {
        CompletableFuture<KvCli.Result> watch = background("watch", "CFG");
        Thread.sleep(1000);
        cli.kv("rm", "CFG", "-f");
        KvCli.Result r = watch.get(30, TimeUnit.SECONDS);
        assertThat(r.code()).as(r.toString()).isZero();
    }

    @Test
    void badInputIsRejected() {
        assertThat(cli.kv("watch", "NOPE").code()).isEqualTo(1);
        assertThat(cli.kv("watch", "CFG", "a.>.b").code()).isEqualTo(2);
        assertThat(cli.kv("watch", "CFG", "--timeout", "5").code()).isEqualTo(2);
    }
}
