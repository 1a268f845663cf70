package dev.tend.cli.kv;

import dev.tend.cli.output.Values;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KvBucketTest {

    @TempDir
    Path tmp;
    KvCli cli;

    @BeforeEach
    void setUp() {
        cli = new KvCli(tmp.resolve("kv"));
    }

    @Test
    void addPrintsTheInfoBlock() {
        KvCli.Result r = cli.kv("add", "CFG", "--history", "5", "--max-value-size", "10240",
                "--max-bucket-size", "100KiB");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("CFG Key-Value Store\n"
                + "\n"
                + "     Bucket Name: CFG\n"
                + "   Values Stored: 0\n"
                + "         History: 5\n"
                + "             TTL: 0s\n"
                + " Max Bucket Size: 102400\n"
                + "  Max Value Size: 10240\n"
                + "        Replicas: 1\n"
                + "    Bytes Stored: 0\n"
                + "         Backend: embedded\n"
                + "           Store: " + cli.url + "/\n");
    }

    @Test
    void addDefaultsAreHistory5NoTtlUnlimited() {
        assertThat(cli.kv("add", "CFG", "--description", "settings", "--ttl", "1d12h").code()).isZero();
        KvCli.Result info = cli.kv("info", "CFG");
        assertThat(info.out()).contains("     Description: settings\n", "         History: 5\n",
                "             TTL: 36h0m0s\n", " Max Bucket Size: unlimited\n", "  Max Value Size: unlimited\n");
    }

    @Test
    void addingTheSameBucketAgainIsFineADifferentOneIsAnError() {
        assertThat(cli.kv("add", "CFG").code()).isZero();
        assertThat(cli.kv("add", "CFG").code()).isZero();
        KvCli.Result other = cli.kv("add", "CFG", "--history", "7");
        assertThat(other.code()).isEqualTo(3);
        assertThat(other.err()).startsWith("tend: bucket CFG already exists with a different configuration")
                .hasLineCount(1);
    }

    @Test
    void badConfigsAreUsageErrorsAndCreateNothing() {
        String[][] cases = {
                {"add", "CFG", "--history", "0"},
                {"add", "CFG", "--history", "65"},
                {"add", "CFG", "--replicas", "3"},
                {"add", "CFG", "--storage", "memory"},
                {"add", "CFG", "--mirror", "OTHER"},
                {"add", "CFG", "--ttl", "10"},
                {"add", "CFG", "--ttl", "1M"},
                {"add", "CFG", "--ttl", "50ms"},
                {"add", "CFG", "--max-value-size", "10K"},
                {"add", "CFG", "--max-bucket-size", "lots"},
                {"add", "C/FG"},
        };
        for (String[] args : cases) {
            KvCli.Result r = cli.kv(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("tend: ").hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
        try (KvStore store = cli.store()) {
            assertThat(store.bucketNames()).isEmpty();
        }
    }

    @Test
    void replicasOnEmbeddedPointsToNats() {
        KvCli.Result r = cli.kv("add", "CFG", "--replicas", "3");
        assertThat(r.err()).contains("replicas 3").contains("NATS");
    }

    @Test
    void infoAliasStatusAndJson() {
        cli.kv("add", "CFG", "--max-value-size", "1KB");
        cli.kv("put", "CFG", "k", "v");
        assertThat(cli.kv("status", "CFG").out()).contains("   Values Stored: 1\n");
        KvCli.Result json = cli.kv("info", "CFG", "--json");
        assertThat(json.out()).matches("(?s)\\{\n"
                + "  \"bucket\": \"CFG\",\n"
                + "  \"description\": \"\",\n"
                + "  \"history\": 5,\n"
                + "  \"ttl\": \"0s\",\n"
                + "  \"max_value_size\": 1000,\n"
                + "  \"max_bucket_size\": -1,\n"
                + "  \"replicas\": 1,\n"
                + "  \"storage\": \"file\",\n"
                + "  \"mirror\": null,\n"
                + "  \"values\": 1,\n"
                + "  \"bytes\": \\d+,\n"
                + "  \"backend\": \"embedded\"\n"
                + "}\n");
        assertThat(cli.kv("info", "NOPE").code()).isEqualTo(1);
    }

    @Test
    void infoShowsWhereTheStoreChoiceCameFrom() {
        cli.kv("add", "CFG");
        cli.env.put("TEND_STORE", cli.url);
        KvCli.Result r = cli.tend("kv", "info", "CFG");
        assertThat(r.out()).contains("           Store: " + cli.url + "/ (from TEND_STORE)\n");
    }

    @Test
    void lsListsBucketsSorted() {
        assertThat(cli.kv("ls").out()).isEqualTo("No buckets found\n");
        assertThat(cli.kv("ls", "--json").out()).isEqualTo("[ ]\n");
        cli.kv("add", "ZED", "--history", "2");
        cli.kv("add", "CFG");
        cli.kv("put", "CFG", "a", "1");
        cli.kv("put", "CFG", "a", "2");
        assertThat(cli.kv("ls").out()).isEqualTo(""
                + "+--------+---------+--------+\n"
                + "| BUCKET | HISTORY | VALUES |\n"
                + "+--------+---------+--------+\n"
                + "| CFG    | 5       | 2      |\n"
                + "| ZED    | 2       | 0      |\n"
                + "+--------+---------+--------+\n");
        KvCli.Result json = cli.kv("ls", "--json");
        assertThat(json.out()).startsWith("[\n  {\n    \"bucket\": \"CFG\",").contains("\"bucket\": \"ZED\"");
    }

    @Test
    void editChangesOnlyWhatIsGiven() {
        cli.kv("add", "CFG", "--history", "3", "--max-value-size", "100", "--description", "d");
        KvCli.Result r = cli.kv("edit", "CFG", "--history", "10", "--ttl", "1h");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("         History: 10\n", "             TTL: 1h0m0s\n",
                "  Max Value Size: 100\n", "     Description: d\n");
        assertThat(cli.kv("edit", "CFG", "--max-value-size", "unlimited").out())
                .contains("  Max Value Size: unlimited\n", "         History: 10\n");
    }

    @Test
    void editValidatesBeforeTouchingTheStore() {
        cli.kv("add", "CFG");
        assertThat(cli.kv("edit", "CFG").code()).isEqualTo(2);
        assertThat(cli.kv("edit", "CFG", "--history", "65").code()).isEqualTo(2);
        assertThat(cli.kv("edit", "CFG", "--replicas", "2").code()).isEqualTo(2);
        assertThat(cli.kv("edit", "NOPE", "--history", "2").code()).isEqualTo(1);
        assertThat(cli.kv("info", "CFG").out()).contains("         History: 5\n");
    }

    @Test
    void kvAloneIsAUsageError() {
        KvCli.Result r = cli.tend("kv");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: tend kv");
    }

    @Test
    void anUnreachableNatsStoreIsOneLine() throws java.io.IOException {
        int unused;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            unused = s.getLocalPort();
        }
        KvCli.Result r = cli.tend("kv", "--store", "nats://127.0.0.1:" + unused, "ls");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("cannot connect to NATS at nats://127.0.0.1:" + unused).hasLineCount(1);
    }

    @Test
    void anUnsupportedStoreUrlIsOneLine() {
        KvCli.Result r = cli.tend("kv", "--store", "redis://localhost:6379", "ls");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unsupported store URL").hasLineCount(1);
    }
}
