package dev.tend.cli.fleet;

import dev.tend.fleet.spec.PluginItem;
import dev.tend.fleet.spec.PluginSpec;
import dev.tend.fleet.spec.SigningKey;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FleetPublishTest {

    @TempDir
    Path dir;

    private SigningKey keys(FleetCli cli) throws Exception {
        assertThat(cli.fleet("keygen", dir.resolve("keys").toString()).code()).isZero();
        return SigningKey.readSeedFile(dir.resolve("keys/fleet.seed"));
    }

    private Path list(String yaml) throws Exception {
        return Files.writeString(dir.resolve("fleet.yaml"), yaml);
    }

    @Test
    void dryRunPrintsTheSignedSpecificationAndWritesNothing() throws Exception {
        FleetCli cli = new FleetCli(dir);
        SigningKey key = keys(cli);
        cli.machineDir("machines/hello", FleetCli.HELLO);
        Path list = list("""
                - name: hello
                  version: 1.0.0
                  directory: machines/hello
                  match: has_fact("role") && get_fact("role") == "web"
                - name: other
                  source: https://example.net/other-2.0.0.tar.gz
                  checksum: aaaa
                  verify_checksum: bbbb
                  governor: rollout
                  username: u
                  password: p
                """);
        FleetCli.Result r = cli.fleet("publish", list.toString(), "--signing-key",
                dir.resolve("keys/fleet.seed").toString(), "--dry-run");
        assertThat(r.code()).as(r.toString()).isZero();

        PluginSpec spec = PluginSpec.fromData(r.out().strip());
        spec.verify(key.publicKey());
        List<PluginItem> items = spec.items();
        FleetCli.Result packed = cli.fleet("pack", dir.resolve("machines/hello").toString(), "-o",
                dir.resolve("hello.tar.gz").toString(), "--json");
        assertThat(packed.code()).as(packed.toString()).isZero();
        assertThat(items).containsExactly(
                new PluginItem("hello", "kv://CHORIA_PLUGINS/hello-1.0.0.tar.gz", "", "",
                        field(packed.out(), "verify_checksum"), field(packed.out(), "checksum"),
                        "has_fact(\"role\") && get_fact(\"role\") == \"web\"", ""),
                new PluginItem("other", "https://example.net/other-2.0.0.tar.gz", "u", "p", "bbbb", "aaaa", "",
                        "rollout"));
        assertThat(r.errLines()).containsExactly(
                "Would upload hello to kv://CHORIA_PLUGINS/hello-1.0.0.tar.gz (" + Files.size(dir.resolve(
                        "hello.tar.gz")) + " bytes)",
                "Would write the specification of 2 machines to CHORIA_PLUGINS > plugins, signed by "
                        + key.publicKey().hex());
        assertThat(dir.resolve("kv")).doesNotExist();
    }

    @Test
    void publishWritesTheArchivesThenTheSpecificationAndLsVerifiesIt() throws Exception {
        FleetCli cli = new FleetCli(dir);
        SigningKey key = keys(cli);
        cli.machineDir("machines/hello", FleetCli.HELLO);
        Path list = list("[{\"name\": \"hello\", \"directory\": \"machines/hello\"}]\n");
        FleetCli.Result r = cli.fleet("publish", list.toString(), "--signing-key",
                dir.resolve("keys/fleet.seed").toString(), "--bucket", "FLEET", "--key", "spec");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Uploaded hello to kv://FLEET/hello-1.0.0.tar.gz (",
                "Published the specification of 1 machine to FLEET > spec (revision 2), signed by "
                        + key.publicKey().hex());
        try (KvStore store = KvStore.open(dir.resolve("kv").toUri().toString())) {
            byte[] archive = store.bucket("FLEET").getExisting("hello-1.0.0.tar.gz").value();
            PluginSpec spec = PluginSpec.fromData(new String(store.bucket("FLEET").getExisting("spec").value()));
            spec.verify(key.publicKey());
            assertThat(spec.items().get(0).checksum()).isEqualTo(FleetPackTest.sha256(archive));
        }

        // the same list again writes nothing new
        r = cli.fleet("publish", list.toString(), "--signing-key", dir.resolve("keys/fleet.seed").toString(),
                "--bucket", "FLEET", "--key", "spec");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Already uploaded hello to kv://FLEET/hello-1.0.0.tar.gz (",
                "bytes, revision 1)", "Already published the specification of 1 machine to FLEET > spec (revision 2)");

        FleetCli.Result ls = cli.fleet("ls", "--bucket", "FLEET", "--key", "spec", "--public-key",
                dir.resolve("keys/fleet.pub").toString());
        assertThat(ls.code()).as(ls.toString()).isZero();
        assertThat(ls.out()).contains("Signature: verified with " + key.publicKey().hex(), "| hello ",
                "kv://FLEET/hello-1.0.0.tar.gz");

        FleetCli.Result other = cli.fleet("keygen", dir.resolve("other").toString());
        ls = cli.fleet("ls", "--bucket", "FLEET", "--key", "spec", "--public-key", other.out().strip());
        assertThat(ls.code()).as(ls.toString()).isEqualTo(3);
        assertThat(ls.out()).contains("Signature: DOES NOT VERIFY", "| hello ");
        assertThat(ls.errLines()).containsExactly("tend: the signature of the plugins specification does not verify "
                + "with public key " + other.out().strip());
    }

    @Test
    void badEntriesAreOneLineNamingTheFileLineAndEntry() throws Exception {
        FleetCli cli = new FleetCli(dir);
        keys(cli);
        String seed = dir.resolve("keys/fleet.seed").toString();
        Path list = list("""
                - name: hello
                  source: https://example.net/hello.tar.gz
                  checksum: aa
                  verify_checksum: bb
                - name: web
                  sorce: https://example.net/web.tar.gz
                """);
        FleetCli.Result r = cli.fleet("publish", list.toString(), "--signing-key", seed, "--dry-run");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("tend: " + list + ":6: entry web: unknown key \"sorce\" (known: "
                + "name, version, source, checksum, verify_checksum, directory, match, governor, username, password)");

        list("- name: web\n  source: https://example.net/web.tar.gz\n");
        r = cli.fleet("publish", list.toString(), "--signing-key", seed, "--dry-run");
        assertThat(r.errLines()).containsExactly("tend: " + list + ":1: entry web: a source needs its checksum and "
                + "verify_checksum (tend fleet pack prints them)");

        cli.machineDir("machines/hello", FleetCli.HELLO);
        list("- name: web\n  directory: machines/hello\n");
        r = cli.fleet("publish", list.toString(), "--signing-key", seed, "--dry-run");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("tend: " + list + ":1: entry web: the machine in "
                + dir.resolve("machines/hello") + " is named hello: the entry's name must be the machine's (the "
                + "archive unpacks to a directory of that name)");

        list("- name: hello\n  version: 2.0.0\n  directory: machines/hello\n");
        r = cli.fleet("publish", list.toString(), "--signing-key", seed, "--dry-run");
        assertThat(r.errLines()).containsExactly("tend: " + list + ":1: entry hello: version 2.0.0, but the machine "
                + "in " + dir.resolve("machines/hello") + " is version 1.0.0");

        list("name: hello\n");
        r = cli.fleet("publish", list.toString(), "--signing-key", seed, "--dry-run");
        assertThat(r.errLines()).containsExactly("tend: " + list + ":1: expected a list of machines (each with name "
                + "and source or directory)");

        list("- name: a\n  source: x\n  checksum: a\n  verify_checksum: b\n- name: a\n  source: y\n  checksum: a\n"
                + "  verify_checksum: b\n");
        r = cli.fleet("publish", list.toString(), "--signing-key", seed, "--dry-run");
        assertThat(r.errLines()).containsExactly("tend: " + list + ":5: entry a: the name is already used on line 1");

        // tmp is the archive watchers' working directory in the machines directory
        list("- name: web\n  source: x\n  checksum: a\n  verify_checksum: b\n- name: tmp\n  source: x\n  checksum: a\n"
                + "  verify_checksum: b\n");
        r = cli.fleet("publish", list.toString(), "--signing-key", seed, "--dry-run");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("tend: " + list + ":5: entry tmp: name \"tmp\" is reserved: the archive"
                + " watchers download and unpack in the machines directory's tmp/");
        for (String bad : List.of("..", ".hidden", "a.b", "a/b", "-x", "_x")) {
            list("- name: '" + bad + "'\n  source: x\n  checksum: a\n  verify_checksum: b\n");
            r = cli.fleet("publish", list.toString(), "--signing-key", seed, "--dry-run");
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.errLines()).as(bad).containsExactly("tend: " + list + ":1: entry " + bad + ": name \"" + bad
                    + "\" cannot name a machine directory: letters, digits, _ and - only, starting with a letter or"
                    + " digit");
        }
    }

    @Test
    void aBadSigningKeyIsNamedButNeverShown() throws Exception {
        FleetCli cli = new FleetCli(dir);
        Path list = list("- name: a\n  source: x\n  checksum: a\n  verify_checksum: b\n");
        Path seed = Files.writeString(dir.resolve("bad.seed"), "zz" + "0".repeat(62));
        FleetCli.Result r = cli.fleet("publish", list.toString(), "--signing-key", seed.toString(), "--dry-run");
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("tend: --signing-key: " + seed + ": the seed is not hex: invalid "
                + "character 'z' at 0");
        r = cli.fleet("publish", list.toString(), "--signing-key", dir.resolve("none").toString(), "--dry-run");
        assertThat(r.errLines()).containsExactly("tend: --signing-key: cannot read " + dir.resolve("none")
                + ": no such file");
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\": \"") + name.length() + 5;
        return json.substring(at, json.indexOf('"', at));
    }
}
