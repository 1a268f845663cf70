package dev.tend.cli.kv;

import dev.tend.kv.nats.NatsCluster;
import dev.tend.kv.nats.NatsClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tend kv} against a real three-node NATS cluster: replicas, the cluster in {@code info}, mirrors. */
@Tag("nats-cluster")
@ExtendWith(NatsClusterExtension.class)
class KvNatsClusterTest implements NatsClusterExtension.Aware {
    private NatsCluster cluster;
    @TempDir
    Path tmp;

    @Override
    public void natsCluster(NatsCluster cluster) {
        this.cluster = cluster;
    }

    @Test
    void infoShowsThreeReplicasAndTheCluster() {
        String bucket = "CFG" + System.nanoTime();
        assertThat(kv("add", bucket, "--replicas", "3").code()).isZero();

        KvCli.Result info = kv("info", bucket);

        assertThat(info.code()).as(info.toString()).isZero();
        assertThat(info.out()).contains("        Replicas: 3\n")
                .containsPattern("\n         Cluster: " + NatsCluster.NAME + ", leader n[123], replicas n[123]"
                        + " (current|catching up), n[123] (current|catching up)\n")
                .contains("         Backend: nats\n");
        KvCli.Result json = kv("info", bucket, "--json");
        assertThat(json.out()).contains("\"replicas\": 3").contains("\"name\": \"" + NatsCluster.NAME + "\"");
    }

    @Test
    void moreReplicasThanServersIsAOneLineError() {
        KvCli.Result r = kv("add", "BIG" + System.nanoTime(), "--replicas", "5");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tend: bucket BIG").contains(": 5 replicas need 5 NATS servers up in the"
                + " cluster").hasLineCount(1);
    }

    @Test
    void mirrorShowsItsOriginServesReadsAndRefusesWrites() {
        String origin = "ORIGIN" + System.nanoTime();
        String mirror = "MIRROR" + System.nanoTime();
        assertThat(kv("add", origin, "--replicas", "3").code()).isZero();
        assertThat(kv("put", origin, "colour", "blue").code()).isZero();

        KvCli.Result add = kv("add", mirror, "--mirror", origin);
        assertThat(add.code()).as(add.toString()).isZero();
        assertThat(add.out()).contains("       Mirror Of: " + origin + "\n");
        KvCli.Result get = kv("get", mirror, "colour", "--raw");
        for (int i = 0; i < 100 && get.code() != 0; i++) {
            // The mirror copies the origin asynchronously.
            sleep();
            get = kv("get", mirror, "colour", "--raw");
        }
        assertThat(get.out()).isEqualTo("blue");

        KvCli.Result put = kv("put", mirror, "colour", "red");
        assertThat(put.code()).isEqualTo(2);
        assertThat(put.err()).isEqualTo("tend: bucket " + mirror + " is a read replica of " + origin + ": write to "
                + origin + "\n");
        KvCli.Result orphan = kv("add", "ORPHAN", "--mirror", "NO_SUCH");
        assertThat(orphan.code()).isEqualTo(1);
        assertThat(orphan.err()).isEqualTo("tend: bucket ORPHAN cannot mirror NO_SUCH: unknown bucket NO_SUCH\n");
    }

    private KvCli.Result kv(String... args) {
        List<String> all = new ArrayList<>(List.of("kv", "--store", cluster.url()));
        all.addAll(List.of(args));
        return new KvCli(tmp).tend(all.toArray(String[]::new));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
