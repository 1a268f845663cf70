package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed document's session (docs' "Key-Value Store" page), run with the real {@code bin/tend} against a
 * temporary embedded store and against a NATS server, step by step, and compared with a golden transcript
 * ({@code src/test/resources/golden/seed-session.txt}; on NATS with the few lines that differ named in
 * {@link #NATS_LINES}).
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory and a store each
class SeedSessionIT {

    private static final String DATE = "\\d{2} [A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2} UTC";
    private static final String WATCH_TIME = "\\[\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}]";

    /**
     * The golden lines NATS prints otherwise: the backend and the store's location in {@code info}, and the bytes the
     * stream counts (JetStream's message records: subject, headers and value, not the embedded log's records).
     */
    private static final Map<String, String> NATS_LINES = Map.of(
            "         Backend: embedded", "         Backend: nats",
            "           Store: file://$STORE/", "           Store: $STORE",
            "           Store: file://$STORE/ (from TEND_STORE)", "           Store: $STORE (from TEND_STORE)",
            "    Bytes Stored: 141", "    Bytes Stored: 208");

    @TempDir
    Path tmp;

    private Tend tend;
    private Transcript transcript;

    /** Starts the commands' store; each test calls it first. */
    private void use(Tend.Backend backend) throws Exception {
        tend = Tend.on(backend, tmp);
        transcript = new Transcript(tend.storeUrl());
    }

    @AfterEach
    void tearDown() {
        if (tend != null) {
            tend.close();
        }
    }

    private Tend.Result step(String... args) throws Exception {
        Tend.Result r = tend.run(args);
        transcript.record(r, null);
        return r;
    }

    private Tend.Result stepWithInput(String stdin, String... args) throws Exception {
        Tend.Result r = tend.runWithInput(stdin.getBytes(StandardCharsets.UTF_8), args);
        transcript.record(r, stdin);
        return r;
    }

    @ParameterizedTest
    @EnumSource(Tend.Backend.class)
    void theSeedSession(Tend.Backend backend) throws Exception {
        use(backend);
        Tend.Result add = step("kv", "add", "CFG", "--history", "5", "--replicas", "1", "--max-value-size", "10240",
                "--max-bucket-size", "102400");
        assertOk(add);
        assertThat(add.out()).contains("CFG Key-Value Store", "Bucket Name: CFG", "History: 5",
                "Max Value Size: 10240", "Max Bucket Size: 102400");

        Tend.Result put = step("kv", "put", "CFG", "username", "myservice");
        assertOk(put);
        assertThat(put.out()).isEqualTo("myservice\n");

        String config = "{\"port\": 8080,\n \"tls\": true}\n";
        Tend.Result fromStdin = stepWithInput(config, "kv", "put", "CFG", "config", "-");
        assertOk(fromStdin);

        Tend.Result get = step("kv", "get", "CFG", "username");
        assertOk(get);
        assertThat(get.out()).matches("CFG > username revision 1 created @ " + DATE + "\n\nmyservice\n");

        Tend.Result raw = step("kv", "get", "CFG", "username", "--raw");
        assertOk(raw);
        assertThat(raw.stdout()).isEqualTo("myservice".getBytes(StandardCharsets.UTF_8));

        Tend.Result rawConfig = step("kv", "get", "CFG", "config", "--raw");
        assertOk(rawConfig);
        assertThat(rawConfig.stdout()).as("stdin stored byte for byte").isEqualTo(
                config.getBytes(StandardCharsets.UTF_8));

        Tend.Result del = step("kv", "del", "CFG", "username", "-f");
        assertOk(del);

        Tend.Result gone = step("kv", "get", "CFG", "username");
        assertOneLineError(gone, 1);
        assertThat(gone.err()).isEqualTo("tend: unknown key \"username\" in bucket CFG\n");

        Tend.Result history = step("kv", "history", "CFG", "username");
        assertOk(history);
        String border = "\\+-----\\+-----------\\+-+\\+--------\\+-----------\\+";
        assertThat(history.out()).matches(border + "\n"
                + "\\| SEQ \\| OPERATION \\| TIME +\\| LENGTH \\| VALUE +\\|\n"
                + border + "\n"
                + "\\| 1   \\| PUT       \\| " + DATE + " +\\| 9      \\| myservice \\|\n"
                + "\\| 3   \\| DEL       \\| " + DATE + " +\\| 0      \\| +\\|\n"
                + border + "\n");

        Tend.Result watch = step("kv", "watch", "CFG", "username", "--timeout", "3s");
        assertOk(watch);
        assertThat(watch.out()).matches(WATCH_TIME + " PUT CFG.username: myservice\n"
                + WATCH_TIME + " DEL CFG.username\n");

        Tend.Result watchAll = step("kv", "watch", "CFG", "--timeout", "3s");
        assertOk(watchAll);
        // A value with newlines is printed as it is (as the reference does), so count the entry lines.
        assertThat(watchAll.out().lines().filter(l -> l.matches(WATCH_TIME + " .*"))).hasSize(3);
        assertThat(watchAll.out()).contains("PUT CFG.config: " + config);

        Tend.Result once = step("kv", "watch", "CFG", "config", "--once", "--timeout", "10s");
        assertOk(once);
        assertThat(once.stdout()).isEqualTo(config.getBytes(StandardCharsets.UTF_8));

        Tend.Result infoBefore = step("kv", "info", "CFG");
        assertOk(infoBefore);
        assertThat(infoBefore.out()).containsPattern("(?m)^ +Values Stored: 3$");

        Tend.Result purge = step("kv", "purge", "CFG", "-f");
        assertOk(purge);

        Tend.Result info = step("kv", "info", "CFG");
        assertOk(info);
        assertThat(info.out()).startsWith("CFG Key-Value Store\n\n")
                .containsPattern("(?m)^     Bucket Name: CFG$")
                .containsPattern("(?m)^   Values Stored: 0$")
                .containsPattern("(?m)^         History: 5$")
                .containsPattern("(?m)^             TTL: ")
                .containsPattern("(?m)^ Max Bucket Size: 102400$")
                .containsPattern("(?m)^  Max Value Size: 10240$")
                .containsPattern("(?m)^ +Replicas: 1$")
                .containsPattern("(?m)^ +Bytes Stored: ")
                .containsPattern("(?m)^ +Backend: ");
        Tend.Result afterPurge = step("kv", "get", "CFG", "config");
        assertOneLineError(afterPurge, 1);

        Tend.Result keys = step("kv", "keys", "CFG");
        assertOk(keys);
        assertThat(keys.out()).isEmpty();

        Tend.Result rm = step("kv", "rm", "CFG", "-f");
        assertOk(rm);
        Tend.Result unknown = step("kv", "info", "CFG");
        assertOneLineError(unknown, 1);
        assertThat(unknown.err()).contains("CFG");
        Tend.Result ls = step("kv", "ls");
        assertThat(ls.code()).as(ls.describe()).isZero();

        transcript.assertMatchesGolden("seed-session.txt",
                backend == Tend.Backend.NATS ? NATS_LINES : Map.of());
    }

    @ParameterizedTest
    @EnumSource(Tend.Backend.class)
    void watchOnceWithAValuePrintsItAtOnce(Tend.Backend backend) throws Exception {
        use(backend);
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "username", "myservice"));
        Tend.Result r = tend.run("kv", "watch", "CFG", "username", "--once", "--timeout", "60s");
        assertOk(r);
        assertThat(r.out()).isEqualTo("myservice");
    }

    @ParameterizedTest
    @EnumSource(Tend.Backend.class)
    void watchOnceWaitsForAValueWrittenByAnotherProcess(Tend.Backend backend) throws Exception {
        use(backend);
        assertOk(tend.run("kv", "add", "CFG"));
        // A deleted key has no value: the watch must wait for the next PUT, ignoring markers.
        assertOk(tend.run("kv", "put", "CFG", "username", "old"));
        assertOk(tend.run("kv", "del", "CFG", "username", "-f"));
        Tend.Background watch = tend.start("kv", "watch", "CFG", "username", "--once", "--timeout", "100s");
        // Once the watch has started watching, the value really arrives later; correctness does not depend on it.
        Tend.eventually("the watch watching", () -> watch.runsATendThread() || !watch.process.isAlive());
        assertThat(watch.process.isAlive()).as("the watch waits: " + watch.out() + watch.err()).isTrue();
        assertOk(tend.run("kv", "put", "CFG", "username", "newservice"));
        Tend.Result r = watch.await();
        assertOk(r);
        assertThat(r.out()).isEqualTo("newservice");
    }

    @ParameterizedTest
    @EnumSource(Tend.Backend.class)
    void watchOnceTimesOutWhenNothingArrives(Tend.Backend backend) throws Exception {
        use(backend);
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "other", "x"));
        Tend.Result r = tend.run("kv", "watch", "CFG", "username", "--once", "--timeout", "1s");
        assertOneLineError(r, 1);
        assertThat(r.err()).isEqualTo("tend: timeout\n");
    }

    @ParameterizedTest
    @EnumSource(Tend.Backend.class)
    void watchWithoutOnceShowsLiveWritesFromAnotherProcess(Tend.Backend backend) throws Exception {
        use(backend);
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "username", "first"));
        Tend.Background watch = tend.start("kv", "watch", "CFG");
        Tend.eventually("the watch's first line", () -> read(watch).contains("PUT CFG.username: first"));
        assertOk(tend.run("kv", "put", "CFG", "username", "second"));
        assertOk(tend.run("kv", "del", "CFG", "username", "-f"));
        assertOk(tend.run("kv", "purge", "CFG", "username", "-f"));
        Tend.eventually("the live writes", () -> read(watch).contains("PURGE CFG.username"));
        assertThat(read(watch).lines().toList()).satisfiesExactly(
                l -> assertThat(l).matches(WATCH_TIME + " PUT CFG.username: first"),
                l -> assertThat(l).matches(WATCH_TIME + " PUT CFG.username: second"),
                l -> assertThat(l).matches(WATCH_TIME + " DEL CFG.username"),
                l -> assertThat(l).matches(WATCH_TIME + " PURGE CFG.username"));
        // Removing the bucket ends open watchers cleanly.
        assertOk(tend.run("kv", "rm", "CFG", "-f"));
        Tend.Result ended = watch.await();
        assertThat(ended.code()).as(ended.describe()).isZero();
        assertThat(ended.err()).doesNotContain("Exception");
    }

    @Test
    void theStoreFlagWinsOverTheEnvironment() throws Exception {
        use(Tend.Backend.EMBEDDED);
        Path other = tmp.resolve("other-store");
        assertOk(tend.run("kv", "--store", other.toString(), "add", "ELSEWHERE"));
        assertOk(tend.run("kv", "put", "ELSEWHERE", "k", "v", "--store", other.toString()));
        Tend.Result here = tend.run("kv", "ls", "--json");
        assertOk(here);
        assertThat(here.out()).doesNotContain("ELSEWHERE");
        Tend.Result there = tend.run("kv", "get", "ELSEWHERE", "k", "--raw", "--store", "file://" + other);
        assertOk(there);
        assertThat(there.out()).isEqualTo("v");
        Tend.Result info = tend.run("kv", "info", "ELSEWHERE", "--store", other.toString());
        assertOk(info);
        assertThat(info.out()).contains(other.toString());
    }

    private static String read(Tend.Background b) {
        try {
            return b.out();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
