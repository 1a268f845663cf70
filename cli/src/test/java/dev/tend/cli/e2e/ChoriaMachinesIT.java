package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static dev.tend.cli.e2e.Tend.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Machine files of the Choria project (watchers/src/test/resources/choria-machines, whose README names their sources),
 * unchanged, under a real {@code tend agent}: those whose commands exist on Debian run as they do under Choria, and a
 * Scout check reads the agent's {@code --overrides} file.
 */
class ChoriaMachinesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUN = List.of("go-choria-test-machine", "machine-room-echo",
            "puppet-scout-heartbeat", "puppet-scout-check-mailq");

    @TempDir
    Path tmp;

    private Tend tend;
    private Path machines;
    private Path state;
    private Path socket;
    private Tend.Background agent;

    @AfterEach
    void tearDown() {
        if (tend != null) {
            tend.close();
        }
    }

    @Test
    void choriasMachinesRunUnderTheAgent() throws Exception {
        tend = new Tend(tmp);
        Path source = Path.of(System.getProperty("tend.choriaMachines", "../watchers/src/test/resources/choria-machines"))
                .toAbsolutePath().normalize();
        machines = Files.createDirectories(tmp.resolve("machines"));
        Files.setPosixFilePermissions(machines, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String name : RUN) {
            Path dir = Files.createDirectory(machines.resolve(name));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path yaml = Files.copy(source.resolve(name).resolve("machine.yaml"), dir.resolve("machine.yaml"));
            Files.setPosixFilePermissions(yaml, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path overrides = Files.writeString(tmp.resolve("overrides.json"), "{\"check_mailq\": {\"warn\": 15}}");
        state = tmp.resolve("state");
        socket = tmp.resolve("run/agent.sock");
        agent = tend.start("agent", "--machines", machines.toString(), "--state", state.toString(), "--plugins",
                Files.createDirectories(tmp.resolve("plugins")).toString(), "--socket", socket.toString(),
                "--identity", "it-node", "--overrides", overrides.toString());

        // go-choria's test machine: as in Choria, its exec watcher without an interval does not run in the initial state
        // (it runs when a transition lands there); fire_1 by hand, and /usr/bin/true in state one fires fire_2.
        awaitState("TestMachine", "unknown");
        assertOk(tend.run("machine", "transition", "TestMachine", "fire_1", "--socket", socket.toString()));
        awaitState("TestMachine", "two");

        // The Scout checks, checked now rather than within their interval (their first check comes at a random time
        // within it), as choria scout trigger does.
        await("the checks loaded", () -> machine("heartbeat") != null && machine("check_mailq") != null);
        Tend.Result check = tend.run("machine", "check", "heartbeat", "check_mailq", "--socket", socket.toString());
        assertOk(check);
        awaitState("heartbeat", "OK");
        JsonNode heartbeat = watcher(machine("heartbeat"), "check");
        assertThat(heartbeat.at("/state/plugin").asText()).isEqualTo("heartbeat");
        assertThat(heartbeat.at("/state/output").asText()).matches("\\d+");
        JsonNode data = JSON.readTree(state.resolve("machines/heartbeat/machine_data.json").toFile());
        assertThat(data.at("/nagios/check/status").asText()).isEqualTo("OK");
        assertThat(data.at("/nagios/check/history").size()).isPositive();

        // check_mailq's path is Red Hat's (/usr/lib64): UNKNOWN here, with its thresholds from the overrides file.
        await("check_mailq checked", () -> watcher(machine("check_mailq"), "check").at("/state/check_time")
                .asLong() > 0);
        JsonNode mailq = watcher(machine("check_mailq"), "check");
        assertThat(mailq.at("/state/plugin").asText())
                .isEqualTo("/usr/lib64/nagios/plugins/check_mailq -M exim -w 15 -c 10");
        assertThat(mailq.at("/state/status").asText()).isEqualTo("UNKNOWN");
        assertThat(mailq.at("/state/output").asText()).startsWith("UNKNOWN: ");

        // machine-room's echo: runs /bin/echo hello every 30s in INITIAL, the first time one interval after it starts.
        await("echo ran", () -> watcher(machine("echo"), "echo").at("/state/exit_code").asInt(-1) == 0);
        assertThat(machine("echo").get("state").asText()).isEqualTo("INITIAL");

        agent.process.destroy(); // SIGTERM
        Tend.Result stopped = agent.await();
        assertThat(stopped.code()).as(stopped.describe()).isZero();
        assertThat(stopped.err()).as(stopped.describe()).contains("agent stopped").doesNotContain("Exception", "\tat ");
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Tend.eventually(what, () -> {
            String log = errOf(agent);
            if (log.contains("cannot load machine") || !agent.process.isAlive()) {
                throw new AssertionError("while waiting for " + what + ": the agent "
                        + (agent.process.isAlive() ? "cannot load a machine" : "ended") + "; its log:\n" + log);
            }
            return condition.getAsBoolean();
        });
    }

    private void awaitState(String name, String expected) throws InterruptedException {
        await(name + " in " + expected, () -> {
            JsonNode m = machine(name);
            return m != null && m.get("state").asText().equals(expected);
        });
    }

    private static String errOf(Tend.Background b) {
        try {
            return b.err();
        } catch (IOException e) {
            return "";
        }
    }

    /** The machine as {@code tend machine list --json} shows it, or null while it is not listed. */
    private JsonNode machine(String name) {
        try {
            Tend.Result r = tend.run("machine", "list", "--json", "--socket", socket.toString());
            if (r.code() != 0) {
                return null;
            }
            List<JsonNode> all = new ArrayList<>();
            JSON.readTree(r.out()).forEach(all::add);
            return all.stream().filter(m -> m.get("name").asText().equals(name)).findFirst().orElse(null);
        } catch (Exception e) {
            return null; // not listening yet, or an answer cut short by the agent's stop: asked again
        }
    }

    private static JsonNode watcher(JsonNode machine, String name) {
        for (JsonNode w : machine.get("watchers")) {
            if (w.get("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no watcher " + name + " in " + machine);
    }
}
