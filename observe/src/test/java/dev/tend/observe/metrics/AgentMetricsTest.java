package dev.tend.observe.metrics;

import dev.tend.machine.agent.Agent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A real agent's machines in the registry: their states, their transitions through the subscription, the JVM. */
class AgentMetricsTest {

    @TempDir
    Path tmp;
    private Agent agent;
    private AgentMetrics metrics;

    @AfterEach
    void tearDown() throws Exception {
        if (metrics != null) {
            metrics.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void statesTransitionsFailuresAndTheJvm() throws Exception {
        Path machines = Files.createDirectories(tmp.resolve("machines"));
        TestAgents.writeDoor(machines, "door");
        Files.createDirectories(machines.resolve("broken"));
        Files.writeString(machines.resolve("broken/machine.yaml"), "name: broken\ninitial_state: [\n");
        agent = TestAgents.agent(tmp, machines);
        metrics = new AgentMetrics(agent, agent::failedLoads, () -> null);
        agent.start();

        String before = MachineEventMetricsTest.text(metrics.registry());
        assertThat(before).contains("tend_machine_state{machine=\"door\",state=\"closed\"} 1.0",
                "tend_machine_state{machine=\"door\",state=\"opened\"} 0.0",
                "tend_machines{status=\"running\"} 1.0", "tend_machines{status=\"failed\"} 1.0",
                "jvm_threads_current", "process_cpu_seconds_total").doesNotContain("tend_kv_");

        agent.machine("door").orElseThrow().transition("open");
        String counted = "tend_machine_transitions_total{event=\"open\",from=\"closed\",machine=\"door\","
                + "to=\"opened\"} 1.0";
        long deadline = System.nanoTime() + 30_000_000_000L; // the event may reach the sinks after the call returns
        String after = MachineEventMetricsTest.text(metrics.registry());
        while (!after.contains(counted) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = MachineEventMetricsTest.text(metrics.registry());
        }
        assertThat(after).contains("tend_machine_state{machine=\"door\",state=\"opened\"} 1.0",
                "tend_machine_transitions_total{event=\"open\",from=\"closed\",machine=\"door\",to=\"opened\"} 1.0");
    }
}
