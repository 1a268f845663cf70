package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.tend.cli.e2e.Tend.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend kv get BUCKET KEY --raw} through bin/tend: the shape Main serves before loading picocli answers, and
 * fails, exactly as the picocli path ({@code --json}) does, on a bucket whose index snapshot it reads without
 * loading the index.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KvGetRawIT {

    private Tend tend;

    @BeforeAll
    void setUp(@TempDir Path dir) throws Exception {
        tend = new Tend(dir);
        assertOk(tend.run("kv", "add", "CFG", "--history", "3"));
        assertOk(tend.run("kv", "put", "CFG", "username", "myservice"));
        assertOk(tend.run("kv", "put", "CFG", "gone", "x"));
        assertOk(tend.run("kv", "del", "CFG", "gone", "-f"));
    }

    @AfterAll
    void tearDown() {
        tend.close();
    }

    @Test
    void printsTheValueBytesOnly() throws Exception {
        Tend.Result r = tend.run("kv", "get", "CFG", "username", "--raw");
        assertOk(r);
        assertThat(r.out()).isEqualTo("myservice");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void failsAsThePicocliPathDoes() throws Exception {
        for (List<String> bucketAndKey : List.of(List.of("CFG", "missing"), List.of("CFG", "gone"),
                List.of("NOPE", "username"), List.of("CFG", "bad..key"), List.of("bad name", "k"))) {
            Tend.Result raw = tend.run("kv", "get", bucketAndKey.get(0), bucketAndKey.get(1), "--raw");
            Tend.Result picocli = tend.run("kv", "get", bucketAndKey.get(0), bucketAndKey.get(1), "--json");
            assertThat(raw.code()).as("exit status of %s", raw.describe()).isEqualTo(picocli.code()).isNotZero();
            assertThat(raw.err()).as(raw.describe()).isEqualTo(picocli.err()).startsWith("tend: ").hasLineCount(1);
            assertThat(raw.out()).isEmpty();
        }
    }
}
