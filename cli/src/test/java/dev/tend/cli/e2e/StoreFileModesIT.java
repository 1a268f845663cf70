package dev.tend.cli.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.tend.cli.e2e.Tend.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The modes of the embedded store's files through bin/tend, as {@code stat} shows them: owner-only by default,
 * for the group with {@code TEND_STORE_MODE=group}; {@code tend kv check} reports a file more open than that, and a
 * temporary file a killed compaction left, which the next command that opens the bucket removes.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory and a store each
class StoreFileModesIT extends TendPerTest {
    @Test
    void ownerOnlyByDefaultAndForTheGroupWhenAsked() throws Exception {
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "password", "s3cret"));
        Map<String, String> modes = stat(tend.store());
        assertThat(modes).containsEntry("", "700").containsEntry("CFG", "700")
                .containsEntry("CFG/log-1.tkv", "600").containsEntry("CFG/config.json", "600");
        assertThat(modes.values()).containsOnly("600", "700");

        assertOk(tend.run(null, Map.of("TEND_STORE_MODE", "group"), "kv", "add", "SHARED"));
        assertThat(stat(tend.store().resolve("SHARED"))).containsEntry("", "2770").containsEntry("log-1.tkv", "660")
                .containsEntry("head", "660").containsEntry("lock", "660").containsEntry("notify", "660")
                .containsEntry("config.json", "660");

        Path backup = tmp.resolve("backup");
        assertOk(tend.run("kv", "backup", "CFG", backup.toString()));
        assertThat(stat(backup)).isEqualTo(Map.of("", "700", "bucket.json", "600", "entries.jsonl", "600"));
    }

    @Test
    void checkReportsALogMoreOpenThanTheStoreMode() throws Exception {
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "password", "s3cret"));
        Path log = tend.store().resolve("CFG/log-1.tkv");
        run("chmod", "0644", log.toString());

        Tend.Result r = tend.run("kv", "check", "CFG");
        assertThat(r.code()).as(r.describe()).isEqualTo(1);
        assertThat(r.out()).as(r.describe()).isEqualTo("problem: " + log + " has mode 0644, more open than 0600 "
                + "(store mode owner); fix: chmod 0600 " + log + "\n"
                + "Bucket CFG: 1 records, " + bytes(r.out()) + " bytes checked, 1 problem\n");

        run("chmod", "0600", log.toString());
        assertOk(tend.run("kv", "check", "CFG"));
    }

    @Test
    void aKilledCompactionsTemporaryLogIsReportedThenRemoved() throws Exception {
        assertOk(tend.run("kv", "add", "CFG"));
        assertOk(tend.run("kv", "put", "CFG", "password", "s3cret"));
        Path left = tend.store().resolve("CFG/log-2.tkv.tmp");
        Files.write(left, new byte[4096]);
        run("chmod", "0600", left.toString());

        Tend.Result r = tend.run("kv", "check", "CFG");
        assertOk(r);
        assertThat(r.out()).contains("note: " + left + ": 4096 bytes left by an interrupted compaction");
        assertThat(left).exists();

        Tend.Result get = tend.run("kv", "get", "CFG", "password", "--raw");
        assertOk(get);
        assertThat(get.out()).isEqualTo("s3cret");
        assertThat(left).doesNotExist();
    }

    private static String bytes(String checkOutput) {
        return checkOutput.replaceAll("(?s).*records, (\\d+) bytes checked.*", "$1");
    }

    /** The mode of {@code dir} (under "") and of everything under it, by relative path, as stat prints it. */
    private static Map<String, String> stat(Path dir) throws Exception {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.toList();
        }
        List<String> command = new ArrayList<>(List.of("stat", "-c", "%a %n"));
        paths.forEach(p -> command.add(p.toString()));
        Map<String, String> modes = new LinkedHashMap<>();
        for (String line : run(command.toArray(String[]::new)).split("\n")) {
            String[] modeAndPath = line.split(" ", 2);
            modes.put(dir.relativize(Path.of(modeAndPath[1])).toString(), modeAndPath[0]);
        }
        return modes;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
