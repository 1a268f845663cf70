package dev.tend.cli.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend agent --noop} through the real launcher: an exec machine and two Scout checks (a Debian monitoring plugin
 * and a script) run their watchers, nothing runs, every command is logged as what would have run, and the machines
 * move as after successes (exec's {@code success_transition}, the checks' {@code OK}).
 */
class NoopIT {

    private static final String CHECK_DUMMY = "/usr/lib/nagios/plugins/check_dummy";

    @TempDir
    Path tmp;

    private Tend tend;
    private Path machines;
    private Path state;

    @BeforeEach
    void setUp() throws Exception {
        tend = new Tend(tmp);
        machines = Files.createDirectories(tmp.resolve("machines"));
        state = tmp.resolve("state");
    }

    @AfterEach
    void tearDown() {
        tend.close();
    }

    private Path machine(String name, String yaml) throws IOException {
        Path dir = Files.createDirectories(machines.resolve(name));
        Files.writeString(dir.resolve("machine.yaml"), yaml);
        return dir;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String scout(String name, String plugin) {
        return """
                name: %s
                version: "1.0.0"
                initial_state: UNKNOWN
                transitions:
                  - {name: UNKNOWN, from: [UNKNOWN, OK, WARNING, CRITICAL], destination: UNKNOWN}
                  - {name: OK, from: [UNKNOWN, OK, WARNING, CRITICAL], destination: OK}
                  - {name: WARNING, from: [UNKNOWN, OK, WARNING, CRITICAL], destination: WARNING}
                  - {name: CRITICAL, from: [UNKNOWN, OK, WARNING, CRITICAL], destination: CRITICAL}
                watchers:
                  - name: check
                    type: nagios
                    state_match: [UNKNOWN, OK, WARNING, CRITICAL]
                    interval: 1s
                    properties:
                      plugin: %s
                """.formatted(name, plugin);
    }

    @Test
    void noCommandRunsEachIsLoggedAndTheMachinesMoveAsOnSuccess() throws Exception {
        Path execMarker = tmp.resolve("exec-ran");
        Path checkMarker = tmp.resolve("check-ran");
        Path deploy = machine("deploy", """
                name: deploy
                version: "1.0.0"
                initial_state: idle
                transitions:
                  - {name: done, from: [idle], destination: deployed}
                  - {name: broken, from: [idle], destination: failed}
                watchers:
                  - name: install
                    type: exec
                    state_match: [idle]
                    success_transition: done
                    fail_transition: broken
                    interval: 1s
                    properties:
                      command: ./install.sh --to /srv/app
                """);
        script(deploy.resolve("install.sh"), "#!/bin/sh\ntouch " + execMarker + "\nexit 1\n");
        machine("load", scout("load", "'" + CHECK_DUMMY + " 2 down'"));
        Path custom = machine("custom", scout("custom", "./critical.sh -w 1"));
        script(custom.resolve("critical.sh"), "#!/bin/sh\ntouch " + checkMarker + "\necho 'CRITICAL: ran'\nexit 2\n");

        Tend.Background agent = tend.start("agent", "--noop", "--machines", machines.toString(), "--state",
                state.toString(), "--socket", tmp.resolve("agent.sock").toString(), "--identity", "it-node");
        Tend.awaitStarted(agent);
        eventually("the exec machine moved as on success", () -> err(agent)
                .contains("it-node deploy transitioned via event done: idle => deployed"));
        eventually("the plugin's check is OK", () -> err(agent)
                .contains("it-node load transitioned via event OK: UNKNOWN => OK"));
        eventually("the script's check is OK", () -> err(agent)
                .contains("it-node custom transitioned via event OK: UNKNOWN => OK"));

        String log = err(agent);
        assertThat(log).contains("noop mode: no command runs and no managed file is written")
                .contains("noop: would run " + deploy.toRealPath().resolve("install.sh")
                        + " --to /srv/app (machine deploy watcher install)")
                .contains("noop: would run " + CHECK_DUMMY + " 2 down (machine load watcher check)")
                .contains("noop: would run " + custom.toRealPath().resolve("critical.sh")
                        + " -w 1 (machine custom watcher check)")
                .doesNotContain("CRITICAL: ran").doesNotContain("Exception");
        assertThat(execMarker).doesNotExist();
        assertThat(checkMarker).doesNotExist();
        assertThat(state.resolve("machines/load/machine_data.json")).as("machine data stays in memory").doesNotExist();
        assertThat(state.resolve("machines/custom/machine_data.json")).doesNotExist();

        Tend.Result list = tend.run("machine", "list", "--socket", tmp.resolve("agent.sock").toString());
        assertThat(list.code()).as(list.describe()).isZero();
        assertThat(list.out()).contains("deploy").contains("deployed")
                .endsWith("The agent runs in noop mode: its watchers run no command and write no managed file\n");

        agent.process.destroy(); // SIGTERM
        Tend.Result r = agent.await();
        assertThat(r.code()).as(r.describe()).isZero();
    }

    private static String err(Tend.Background b) {
        try {
            return b.err();
        } catch (IOException e) {
            return "";
        }
    }
}
