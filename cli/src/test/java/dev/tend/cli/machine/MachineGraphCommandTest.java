package dev.tend.cli.machine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MachineGraphCommandTest {

    @TempDir
    Path dir;

    @Test
    void drawsDotAsTheReferenceDoesWithTheInitialStateInRed() throws Exception {
        MachineCli cli = new MachineCli(dir);
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC);
        MachineCli.Result r = cli.machine("graph", hvac.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                digraph fsm {
                    "idle" -> "running" [ label = "air_bad" ];
                    "idle" -> "idle" [ label = "air_good" ];
                    "idle" -> "idle" [ label = "variables_changed" ];
                    "idle" -> "unknown" [ label = "variables_unknown" ];
                    "running" -> "running" [ label = "air_bad" ];
                    "running" -> "idle" [ label = "air_good" ];
                    "running" -> "idle" [ label = "variables_changed" ];
                    "running" -> "unknown" [ label = "variables_unknown" ];
                    "unknown" -> "idle" [ label = "variables_changed" ];
                    "unknown" -> "unknown" [ label = "variables_unknown" ];

                    "idle";
                    "running";
                    "unknown" [color = "red"];
                }
                """);
    }

    @Test
    void marksTheStateAsked() throws Exception {
        MachineCli cli = new MachineCli(dir);
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC);
        MachineCli.Result r = cli.machine("graph", hvac.toString(), "--state", "idle");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("    \"idle\" [color = \"red\"];\n    \"running\";\n    \"unknown\";\n}\n");
    }

    @Test
    void drawsMermaid() throws Exception {
        MachineCli cli = new MachineCli(dir);
        Path m = cli.machineDir("m", """
                name: switch
                version: 1.0.0
                initial_state: off
                transitions:
                  - {name: on, from: [off], destination: on}
                  - {name: off, from: [on, off], destination: off}
                  - {name: break, from: [on], destination: "out of order"}
                watchers:
                  - {name: w, type: test}
                """);
        MachineCli.Result r = cli.machine("graph", m.toString(), "--format", "mermaid", "--state", "on");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("""
                stateDiagram-v2
                    state "out of order" as s1
                    [*] --> off
                    off --> off: off
                    off --> on: on
                    on --> s1: break
                    on --> off: off
                    classDef current fill:#f96,stroke:#c00,stroke-width:2px
                    class on current
                """);
    }

    @Test
    void anUnknownStateIsRefused() throws Exception {
        MachineCli cli = new MachineCli(dir);
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC);
        MachineCli.Result r = cli.machine("graph", hvac.toString(), "--state", "broken");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("tend: unknown state \"broken\" in machine HVAC; its states are idle, running, "
                + "unknown\n");
    }

    @Test
    void anInvalidMachineIsReportedAsValidateDoes() throws Exception {
        MachineCli cli = new MachineCli(dir);
        Path m = cli.machineDir("m", MachineCli.HVAC.replace("state_match: [idle, running]",
                "state_match: [idle, runing]"));
        MachineCli.Result r = cli.machine("graph", m.toString());
        assertThat(r.code()).isEqualTo(2); // a validation error (it was 1 before issue 16)
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).containsExactly(m.resolve("machine.yaml")
                + ":15: watcher \"monitor\": unknown state \"runing\" in state_match (did you mean \"running\"?)");
    }

    @Test
    void anUnknownFormatIsAUsageError() throws Exception {
        MachineCli cli = new MachineCli(dir);
        Path hvac = cli.machineDir("hvac", MachineCli.HVAC);
        MachineCli.Result r = cli.machine("graph", hvac.toString(), "--format", "svg");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("tend: invalid value for option '--format'");
    }
}
