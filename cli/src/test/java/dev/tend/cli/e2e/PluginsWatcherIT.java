package dev.tend.cli.e2e;

import dev.tend.fleet.spec.PluginItem;
import dev.tend.fleet.spec.PluginSpec;
import dev.tend.fleet.spec.SigningKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugins watcher through {@code bin/tend}: an agent runs a manager machine whose kv watcher keeps a signed
 * specification as data and whose plugins watcher writes a manager machine for each entry that matches the node;
 * {@code tend kv put} of a specification signed with another key changes nothing, and one without the entry purges
 * its manager machine. The manager machine's {@code archive} watcher is another type's work: this test asserts that
 * the agent picks the file up (it runs it when the archive type is there, and names it in its log otherwise).
 */
class PluginsWatcherIT {

    private static final SigningKey KEY = SigningKey.generate();

    private static final String MANAGER = """
            name: manager
            version: "1.0.0"
            initial_state: MANAGE
            transitions:
              - {name: enter_maintenance, from: [MANAGE], destination: MAINTENANCE}
              - {name: resume, from: [MAINTENANCE], destination: MANAGE}
            watchers:
              - name: specification
                type: kv
                interval: 1s
                state_match: [MANAGE]
                properties: {bucket: FLEET, key: plugins, mode: poll, bucket_prefix: false}
              - name: manage
                type: plugins
                interval: 2s
                state_match: [MANAGE]
                properties:
                  data_item: plugins
                  purge_unknown: true
                  public_key: %s
            """.formatted(KEY.publicKey().hex());

    private static final PluginItem WEB = PluginItem.of("web", "kv://FLEET/web-1.0.0.tgz", "a1".repeat(32), "b2".repeat(32))
            .withMatch("identity('^web') && get_fact('role') == 'web'");
    private static final PluginItem DB = PluginItem.of("db", "kv://FLEET/db-1.0.0.tgz", "c3".repeat(32), "d4".repeat(32))
            .withMatch("identity('^db')");

    @TempDir
    Path tmp;

    private Tend tend;
    private Path machines;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        machines = Files.createDirectories(tmp.resolve("machines"));
        Files.createDirectories(machines.resolve("manager"));
        Files.writeString(machines.resolve("manager/machine.yaml"), MANAGER);
        Files.writeString(tmp.resolve("facts.json"), "{\"role\": \"web\"}");
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    @Test
    void aSignedSpecificationInTheStoreBecomesManagerMachinesOnTheMatchingNode() throws Exception {
        Tend.Result validate = tend.run("machine", "validate", machines.resolve("manager").toString());
        assertThat(validate.code()).as(validate.describe()).isZero();
        assertOk(tend.run("kv", "add", "FLEET"));
        Path socket = tmp.resolve("run/agent.sock");
        Tend.Background agent = tend.start("agent", "--machines", machines.toString(), "--state",
                tmp.resolve("state").toString(), "--socket", socket.toString(), "--facts",
                tmp.resolve("facts.json").toString(), "--identity", "web01");
        Tend.awaitStarted(agent);

        assertOk(tend.run("kv", "put", "FLEET", "plugins", PluginSpec.of(List.of(WEB, DB)).signedWith(KEY).toJson()));
        Path web = machines.resolve("mm_web/machine.yaml");
        eventually("the manager machine of web", () -> Files.isRegularFile(web));
        assertThat(Files.readString(web)).contains("name: \"mm_web\"", "source: \"kv://FLEET/web-1.0.0.tgz\"",
                "target: \"" + machines + "\"", "interval: \"2m0s\"");
        assertThat(machines.resolve("mm_db")).doesNotExist();
        eventually("the agent runs mm_web", () -> listed(socket, "mm_web"));
        eventually("the outcome updated", () -> errOf(agent).contains("deploying web from kv://FLEET/web-1.0.0.tgz"));

        // Signed with another key: deleted from the data, an error, nothing changed on disk.
        String before = Files.readString(web);
        SigningKey other = SigningKey.generate();
        assertOk(tend.run("kv", "put", "FLEET", "plugins", PluginSpec.of(List.of(DB)).signedWith(other).toJson()));
        eventually("the bad signature", () -> errOf(agent).contains("does not verify with public key "
                + KEY.publicKey().hex() + ", removing data"));
        assertThat(Files.readString(web)).isEqualTo(before);
        assertThat(machines.resolve("mm_db")).doesNotExist();

        // A specification without web: its manager machine is purged.
        assertOk(tend.run("kv", "put", "FLEET", "plugins", PluginSpec.of(List.of(DB)).signedWith(KEY).toJson()));
        eventually("mm_web purged", () -> !Files.exists(machines.resolve("mm_web")));
        assertThat(errOf(agent)).doesNotContain("\tat ", "Exception");

        agent.process.destroy(); // SIGTERM
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();
    }

    @Test
    void theAgentsMachineSigningKeyFromItsConfigFileVerifiesAWatcherWithoutPublicKey() throws Exception {
        Files.writeString(machines.resolve("manager/machine.yaml"), MANAGER.replaceAll("\n +public_key: .*", ""));
        Path config = Files.createDirectories(tmp.resolve("home/.config/tend")).resolve("tend.yaml");
        Path socket = tmp.resolve("run/agent.sock");
        List<String> start = List.of("agent", "--machines", machines.toString(), "--state",
                tmp.resolve("state").toString(), "--socket", socket.toString(), "--facts",
                tmp.resolve("facts.json").toString(), "--identity", "web01");

        Files.writeString(config, "plugin.choria.machine.signing_key: \"12ab\"\n");
        Tend.Result bad = tend.run(start.toArray(String[]::new));
        assertThat(bad.code()).as(bad.describe()).isEqualTo(2);
        assertThat(bad.err()).as(bad.describe()).startsWith("tend: plugin.choria.machine.signing_key in " + config
                + ": ").doesNotContain("\tat ").hasLineCount(1);

        Files.writeString(config, "plugin.choria.machine.signing_key: " + KEY.publicKey().hex() + "\n");
        assertOk(tend.run("kv", "add", "FLEET"));
        Tend.Background agent = tend.start(start.toArray(String[]::new));
        Tend.awaitStarted(agent);
        eventually("the key logged", () -> errOf(agent).contains("must be signed by " + KEY.publicKey().hex()));

        // Signed with another key: refused with the agent's key, though the watcher has no public_key.
        assertOk(tend.run("kv", "put", "FLEET", "plugins", PluginSpec.of(List.of(WEB)).signedWith(SigningKey.generate())
                .toJson()));
        eventually("the bad signature", () -> errOf(agent).contains("does not verify with public key "
                + KEY.publicKey().hex() + ", removing data"));
        assertThat(machines.resolve("mm_web")).doesNotExist();

        assertOk(tend.run("kv", "put", "FLEET", "plugins", PluginSpec.of(List.of(WEB)).signedWith(KEY).toJson()));
        eventually("the manager machine of web", () -> Files.isRegularFile(machines.resolve("mm_web/machine.yaml")));
        assertThat(errOf(agent)).doesNotContain("\tat ", "Exception");

        agent.process.destroy(); // SIGTERM
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();
    }

    private boolean listed(Path socket, String machine) {
        try {
            return tend.run("machine", "list", "--socket", socket.toString()).out().contains(machine);
        } catch (Exception e) {
            return false;
        }
    }

    private static String errOf(Tend.Background agent) {
        try {
            return agent.err();
        } catch (IOException e) {
            return "";
        }
    }
}
