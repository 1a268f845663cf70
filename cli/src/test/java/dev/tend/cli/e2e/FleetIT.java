package dev.tend.cli.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend fleet} as an operator runs it through {@code bin/tend}, on the embedded store: a key pair, a packed
 * machine, a published specification that {@code ls} verifies, and the agent's built-in manager.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory and store each
class FleetIT extends TendPerTest {

    private Path machine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src/hello"));
        Files.writeString(dir.resolve("machine.yaml"), """
                name: hello
                version: 1.2.0
                initial_state: IDLE
                transitions:
                  - name: tick
                    from: [IDLE]
                    destination: IDLE
                watchers:
                  - name: ticker
                    type: timer
                    state_match: [IDLE]
                    fail_transition: tick
                    properties:
                      timer: 1h
                """);
        Files.writeString(dir.resolve("check.sh"), "#!/bin/sh\nexit 0\n");
        return dir;
    }

    @Test
    void keygenPackPublishAndLsVerifyingTheSignature() throws Exception {
        Tend.Result keygen = tend.run("fleet", "keygen", "keys");
        assertThat(keygen.code()).as(keygen.describe()).isZero();
        String publicKey = keygen.out().strip();
        assertThat(publicKey).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("keys/fleet.seed"))))
                .isEqualTo("rw-------");
        assertThat(keygen.err()).doesNotContain(Files.readString(tmp.resolve("keys/fleet.seed")));

        Path source = machine();
        Tend.Result pack = tend.run("fleet", "pack", source.toString(), "-o", "a.tar.gz");
        Tend.assertOk(pack);
        Files.setLastModifiedTime(source.resolve("check.sh"), java.nio.file.attribute.FileTime.fromMillis(0));
        Tend.assertOk(tend.run("fleet", "pack", source.toString(), "-o", "b.tar.gz"));
        assertThat(Files.readAllBytes(tmp.resolve("b.tar.gz"))).isEqualTo(Files.readAllBytes(tmp.resolve("a.tar.gz")));
        assertThat(pack.out()).startsWith("Packed machine hello 1.2.0 into a.tar.gz (");

        Files.writeString(tmp.resolve("fleet.yaml"), """
                - name: hello
                  directory: src/hello
                  match: 'identity("^web")'
                """);
        Tend.Result dry = tend.run("fleet", "publish", "fleet.yaml", "--signing-key", "keys/fleet.seed", "--dry-run");
        assertThat(dry.code()).as(dry.describe()).isZero();
        assertThat(dry.out()).startsWith("{\"plugins\":\"").contains("\"signature\":\"");
        assertThat(tmp.resolve("store")).doesNotExist();

        Tend.Result publish = tend.run("fleet", "publish", "fleet.yaml", "--signing-key", "keys/fleet.seed");
        Tend.assertOk(publish);
        assertThat(publish.out()).contains("Uploaded hello to kv://CHORIA_PLUGINS/hello-1.2.0.tar.gz (",
                "Published the specification of 1 machine to CHORIA_PLUGINS > plugins (revision 2), signed by "
                        + publicKey);
        assertThat(publish.out()).as("the spec equals the dry run's").isNotNull();
        Tend.Result value = tend.run("kv", "get", "CHORIA_PLUGINS", "plugins", "--raw");
        assertThat(value.out()).isEqualTo(dry.out().strip());

        Tend.Result ls = tend.run("fleet", "ls", "--public-key", "keys/fleet.pub");
        Tend.assertOk(ls);
        String checksum = pack.out().lines().filter(l -> l.contains(" checksum: ") && !l.contains("verify"))
                .findFirst().orElseThrow().replaceAll(".*: ", "");
        assertThat(ls.out()).contains("Signature: verified with " + publicKey, "| hello ",
                "kv://CHORIA_PLUGINS/hello-1.2.0.tar.gz", checksum, "identity(\"^web\")");

        Tend.Result json = tend.run("fleet", "ls", "--public-key", publicKey, "--json");
        Tend.assertOk(json);
        assertThat(json.out()).contains("\"verified\": true", "\"name\": \"hello\"");

        Tend.Result other = tend.run("fleet", "keygen", "other");
        Tend.Result bad = tend.run("fleet", "ls", "--public-key", "other/fleet.pub");
        assertThat(bad.code()).as(bad.describe()).isEqualTo(3);
        assertThat(bad.out()).contains("Signature: DOES NOT VERIFY");
        assertThat(bad.err()).isEqualTo("tend: the signature of the plugins specification does not verify with "
                + "public key " + other.out().strip() + "\n");
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Tend.assertOneLineError(tend.run("fleet", "ls"), 1);
        Files.writeString(tmp.resolve("fleet.yaml"), "- name: x\n  directory: nowhere\n  source: y\n");
        assertThat(tend.run("fleet", "keygen", "keys").code()).isZero();
        Tend.Result r = tend.run("fleet", "publish", "fleet.yaml", "--signing-key", "keys/fleet.seed");
        Tend.assertOneLineError(r, 2);
        assertThat(r.err()).isEqualTo("tend: fleet.yaml:1: entry x: give either source (an archive already "
                + "published) or directory (a machine to pack and upload)\n");
        Tend.assertOneLineError(tend.run("fleet", "keygen", "keys"), 2);
        Tend.assertOneLineError(tend.run("agent", "--machines-bucket", "X"), 2);
        Tend.assertOneLineError(tend.run("agent", "--manage-machines", "--machines-check-interval", "1s",
                "--machines", "m"), 2);
    }

    @Test
    void theAgentWritesTheBuiltInManagerAndRemovesItWithoutTheOption() throws Exception {
        Path machines = Files.createDirectories(tmp.resolve("machines"));
        assertThat(tend.run("fleet", "keygen", "keys").code()).isZero();
        String publicKey = Files.readString(tmp.resolve("keys/fleet.pub")).strip();
        List<String> common = List.of("agent", "--machines", machines.toString(), "--state",
                tmp.resolve("state").toString(), "--socket", tmp.resolve("run/agent.sock").toString(), "--identity",
                "web1");
        List<String> args = new java.util.ArrayList<>(common);
        args.addAll(List.of("--manage-machines", "--machines-signing-key", "keys/fleet.pub",
                "--machines-check-interval", "2s", "--machines-bucket", "FLEET"));
        Tend.Background agent = tend.start(args.toArray(String[]::new));
        Path manager = machines.resolve("plugins_manager/machine.yaml");
        eventually("the manager machine", () -> Files.exists(manager));
        String yaml = Files.readString(manager);
        assertThat(yaml).startsWith("# Written by tend agent --manage-machines")
                .contains("name: plugins_manager", "initial_state: INITIAL", "bucket: \"FLEET\"",
                        "key: \"plugins\"", "type: plugins", "interval: 2s", "purge_unknown: true",
                        "public_key: \"" + publicKey + "\"",
                        "plugins_directory: \"" + machines.toAbsolutePath() + "\"");
        Tend.awaitStarted(agent);
        assertThat(agent.err()).contains("managing machines from FLEET > plugins into " + machines);
        agent.process.destroy();
        assertThat(agent.await().code()).isZero();

        Tend.Background plain = tend.start(common.toArray(String[]::new));
        Tend.awaitStarted(plain);
        assertThat(machines.resolve("plugins_manager")).doesNotExist();
        plain.process.destroy();
        assertThat(plain.await().code()).isZero();
    }

    @Test
    void theManagerPicksUpThePublishedSpecificationAndInstallsTheMatchingMachine() throws Exception {
        assertThat(tend.run("fleet", "keygen", "keys").code()).isZero();
        machine();
        Files.writeString(tmp.resolve("fleet.yaml"), """
                - name: hello
                  directory: src/hello
                  match: 'identity("^web")'
                """);
        Tend.assertOk(tend.run("fleet", "publish", "fleet.yaml", "--signing-key", "keys/fleet.seed"));
        String checksum = tend.run("fleet", "ls", "--json").out().replaceAll("(?s).*\"checksum\": \"([0-9a-f]+)\".*",
                "$1");
        Path machines = Files.createDirectories(tmp.resolve("machines"));
        Tend.Background agent = tend.start("agent", "--machines", machines.toString(), "--state",
                tmp.resolve("state").toString(), "--socket", tmp.resolve("run/agent.sock").toString(), "--identity",
                "web1", "--manage-machines", "--machines-signing-key", "keys/fleet.pub", "--machines-check-interval",
                "2s");
        Path manager = machines.resolve("mm_hello/machine.yaml");
        eventually("the manager machine of hello", () -> Files.exists(manager));
        assertThat(Files.readString(manager)).contains("name: \"mm_hello\"",
                "source: \"kv://CHORIA_PLUGINS/hello-1.2.0.tar.gz\"", "checksum: \"" + checksum + "\"",
                "creates: \"hello\"", "target: \"" + machines.toAbsolutePath() + "\"");
        assertThat(agent.err()).doesNotContain("cannot load machine: " + machines.resolve("plugins_manager"));
        // mm_hello's archive watcher fetches the packed machine from kv://, verifies it and unpacks it: it runs
        eventually("hello installed and loaded", () -> {
            try {
                return agent.err().contains("machine hello 1.2.0 loaded from " + machines.resolve("hello"));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertThat(Files.readString(machines.resolve("hello/machine.yaml")))
                .isEqualTo(Files.readString(tmp.resolve("src/hello/machine.yaml")));
        assertThat(machines.resolve("hello/SHA256SUMS")).isRegularFile();
        agent.process.destroy();
        assertThat(agent.await().code()).isZero();
    }
}
