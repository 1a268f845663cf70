package dev.tend.observe.metrics;

import dev.tend.machine.MachineSettings;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.agent.Agent;
import dev.tend.machine.testing.TestWatcherFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a scrape of an agent with 1,000 machines costs: the handler's exposition written {@value #SCRAPES} times to a
 * stream that discards it, after as many to warm up, timed with this thread's CPU time and printed, as is the first
 * scrape's (never asserted: CPU time depends on the machine and its load). Each machine has made both its transitions, so the scrape holds 2,000 state series, 2,000
 * transition series and the JVM's, as bench/listen's agent does. A measurement, not a test: it runs only when asked
 * ({@code -Dtend.scrapeCost=true}), never in the unit-test run.
 */
@EnabledIfSystemProperty(named = "tend.scrapeCost", matches = "true")
class ScrapeCostTest {

    private static final int MACHINES = 1_000;
    private static final int SCRAPES = 300;

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
    void cpuPerScrapeOfAThousandMachines() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("machines"));
        for (int i = 0; i < MACHINES; i++) {
            Path d = Files.createDirectories(dir.resolve("m_" + i));
            Files.writeString(d.resolve("machine.yaml"), """
                    name: m_%d
                    version: "1.0.0"
                    initial_state: idle
                    transitions:
                      - name: go
                        from: [idle]
                        destination: busy
                      - name: back
                        from: [busy]
                        destination: idle
                    watchers:
                      - name: sensor
                        type: test
                        state_match: [busy]
                        properties:
                          message: busy
                    """.formatted(i));
        }
        agent = Agent.builder(MachineSettings.builder().stateDirectory(tmp.resolve("state")).identity("node")
                        .watchers(WatcherRegistry.of(List.of(new TestWatcherFactory()))).build())
                .machines(dir).strictPermissions(false).watchFileSystem(false).build();
        metrics = new AgentMetrics(agent, agent::failedLoads, () -> null);
        agent.start();
        long loaded = System.nanoTime() + 60_000_000_000L;
        while (agent.machines().size() < MACHINES && System.nanoTime() < loaded) {
            Thread.sleep(20);
        }
        for (int i = 0; i < MACHINES; i++) {
            agent.machine("m_" + i).orElseThrow().transition("go");
            agent.machine("m_" + i).orElseThrow().transition("back");
        }
        long deadline = System.nanoTime() + 60_000_000_000L; // events reach the sinks after the calls return
        while (transitionSeries(metrics.registry()) < 2 * MACHINES && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(transitionSeries(metrics.registry())).isEqualTo(2 * MACHINES);

        MetricsHandler handler = metrics.handler();
        OutputStream discard = OutputStream.nullOutputStream();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long first = threads.getCurrentThreadCpuTime();
        handler.write(discard);
        System.out.printf("first scrape of %d machines: %.2f ms CPU%n", MACHINES,
                (threads.getCurrentThreadCpuTime() - first) / 1e6);
        for (int i = 0; i < SCRAPES; i++) {
            handler.write(discard); // warm-up: interpreted and compiled code differ by far
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long bytes = threads instanceof com.sun.management.ThreadMXBean t
                ? t.getThreadAllocatedBytes(Thread.currentThread().getId()) : -1;
        for (int i = 0; i < SCRAPES; i++) {
            handler.write(discard);
        }
        double ms = (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / SCRAPES;
        long allocated = threads instanceof com.sun.management.ThreadMXBean t
                ? (t.getThreadAllocatedBytes(Thread.currentThread().getId()) - bytes) / SCRAPES : -1;
        System.out.printf("scrape of %d machines: %.2f ms CPU, %d KB allocated per scrape (%d scrapes)%n",
                MACHINES, ms, allocated / 1024, SCRAPES);
    }

    private static long transitionSeries(PrometheusRegistry registry) {
        for (MetricSnapshot s : registry.scrape()) {
            if (s.getMetadata().getName().equals("tend_machine_transitions")) {
                return s.getDataPoints().size();
            }
        }
        return 0;
    }
}
