package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kv watcher's {@code hiera_config} through {@code bin/tend}: an agent with a facts file runs a machine whose kv
 * watcher reads a Tiny Hiera document; {@code tend kv put} of the document, a change of the facts file and a document
 * that does not resolve change the machine's data (and what its exec watcher sees in {@code $WATCHER_DATA}) as the
 * reference would.
 */
@Execution(ExecutionMode.CONCURRENT) // its tests have a directory, store and agent each
class KvHieraIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Applies the resolved data: copies what the exec watcher sees as the machine's data to applied.json. */
    private static final String MACHINE = """
            name: web
            version: "1.0.0"
            initial_state: WAIT
            transitions:
              - {name: configure, from: [WAIT, FAILED], destination: CONFIGURE}
              - {name: configured, from: [CONFIGURE], destination: WAIT}
              - {name: config_failed, from: [WAIT, FAILED], destination: FAILED}
            watchers:
              - name: config
                type: kv
                interval: 1s
                state_match: [WAIT, FAILED]
                success_transition: configure
                fail_transition: config_failed
                properties: {bucket: CFG, key: config, store_key: web, bucket_prefix: false, hiera_config: true}
              - name: apply
                type: exec
                state_match: [CONFIGURE]
                success_transition: configured
                properties:
                  command: sh -c 'cp "$WATCHER_DATA" applied.json.new && mv applied.json.new applied.json'
            """;

    private static final String DOCUMENT = """
            {
              "hierarchy": {
                "order": ["env:{{ lookup('facts.env') }}", "role:{{ lookup('facts.role') }}"],
                "merge": "deep"
              },
              "data": {"log_level": "INFO", "packages": ["ca-certificates"], "web": {"listen_port": 80, "tls": false}},
              "overrides": {
                "env:prod": {"log_level": "WARN"},
                "role:web": {"packages": ["nginx"], "web": {"listen_port": 443, "tls": true}}
              }
            }
            """;

    @TempDir
    Path tmp;

    private Tend tend;
    private Path machine;
    private Path facts;
    private Path state;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        machine = Files.createDirectories(tmp.resolve("machines/web"));
        Files.writeString(machine.resolve("machine.yaml"), MACHINE);
        facts = tmp.resolve("facts.json");
        writeFacts("{\"role\": \"web\"}");
        state = tmp.resolve("state");
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    @Test
    void theResolvedDocumentIsTheMachinesDataAndFollowsTheFacts() throws Exception {
        Tend.Result validate = tend.run("machine", "validate", machine.toString());
        assertThat(validate.code()).as(validate.describe()).isZero();

        assertOk(tend.run("kv", "add", "CFG"));
        Tend.Background agent = tend.start("agent", "--machines", tmp.resolve("machines").toString(), "--state",
                state.toString(), "--socket", tmp.resolve("run/agent.sock").toString(), "--facts", facts.toString(),
                "--identity", "web01");
        Tend.awaitStarted(agent);
        assertOk(tend.runWithInput(DOCUMENT.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "kv", "put", "CFG", "config", "-"));

        String webOnly = "{\"log_level\":\"INFO\",\"packages\":[\"ca-certificates\",\"nginx\"],"
                + "\"web\":{\"listen_port\":443,\"tls\":true}}";
        eventually("the data resolved for the role", () -> webOnly.equals(appliedWeb()));
        assertThat(errOf(agent)).doesNotContain("config_failed");
        assertThat(storedWeb()).isEqualTo(webOnly);

        // The facts change: the next poll resolves with them.
        writeFacts("{\"role\": \"web\", \"env\": \"prod\"}");
        String prod = webOnly.replace("INFO", "WARN");
        eventually("the data resolved for prod", () -> prod.equals(appliedWeb()));

        // A document that does not resolve: FAILED, the data as it was, one line in the log.
        assertOk(tend.run("kv", "put", "CFG", "config", "{\"hierarchy\": {\"order\": \"env\"}, \"data\": {}}"));
        String why = "CFG > config: hiera_config: the value does not resolve as Tiny Hiera: hierarchy.order must be"
                + " a list";
        eventually("the failure", () -> errOf(agent).contains(why)
                && errOf(agent).contains("web01 web transitioned via event config_failed: WAIT => FAILED"));
        assertThat(storedWeb()).isEqualTo(prod);
        assertThat(errOf(agent).lines().filter(l -> l.contains(why))).as("logged once").hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("WARN"));
        assertThat(errOf(agent)).doesNotContain("\tat ", "Exception");

        // A document without hierarchy: its "default" override applies.
        assertOk(tend.run("kv", "put", "CFG", "config",
                "{\"data\": {\"log_level\": \"INFO\"}, \"overrides\": {\"default\": {\"log_level\": \"DEBUG\"}}}"));
        eventually("the default override", () -> "{\"log_level\":\"DEBUG\"}".equals(appliedWeb()));

        agent.process.destroy(); // SIGTERM
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();
    }

    private void writeFacts(String json) throws IOException {
        Path next = tmp.resolve("facts.json.new");
        Files.writeString(next, json);
        Files.move(next, facts, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The data item "web" as the exec watcher last saw it, compact, or null. */
    private String appliedWeb() {
        return web(machine.resolve("applied.json"));
    }

    /** The data item "web" as the agent persisted it, compact, or null. */
    private String storedWeb() {
        return web(state.resolve("machines/web/machine_data.json"));
    }

    private static String web(Path file) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            JsonNode web = JSON.readTree(file.toFile()).get("web");
            return web == null ? null : JSON.writeValueAsString(web);
        } catch (IOException e) {
            return null;
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
