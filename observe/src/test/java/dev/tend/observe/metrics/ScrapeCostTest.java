package dev.tend.observe.metrics;

import dev.tend.machine.agent.Agent;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryPoolAllocationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a scrape of an agent with 1,000 machines costs: the handler's exposition written {@value #SCRAPES} times to a
 * stream that discards it, after as many to warm up, timed with this thread's CPU time and printed, as is the first
 * scrape's (never asserted: CPU time depends on the machine and its load). Each machine has made both its transitions, so the scrape holds 2,000 state series, 2,000
 * transition series and the JVM's, as bench/listen's agent does. It also prints scrapes 2-10 and 11-18 (bench/listen's
 * warm-up and window, the code not yet compiled), the text families and each JVM collector alone, and, in a second
 * test, the metrics' subscription's CPU per event. A measurement, not a test: it runs only when asked
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
        agent = TestAgents.agent(tmp, dir);
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
        // bench/listen's agent scrapes 10 times in its warm-up of 150 s, then 8 times in the 120 s it measures
        long early = threads.getCurrentThreadCpuTime();
        for (int i = 2; i <= 18; i++) {
            if (i == 11) {
                System.out.printf("scrapes 2-10: %.2f ms CPU each%n",
                        (threads.getCurrentThreadCpuTime() - early) / 1e6 / 9);
                early = threads.getCurrentThreadCpuTime();
            }
            handler.write(discard);
        }
        System.out.printf("scrapes 11-18: %.2f ms CPU each%n", (threads.getCurrentThreadCpuTime() - early) / 1e6 / 8);
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

        // Where it goes: the families written from their own bytes, then each of the JVM's collectors alone.
        TextOut text = new TextOut(discard);
        List<TextFamily> families = List.of(metrics.textFamilies().toArray(new TextFamily[0]));
        print("the text families (" + families.size() + ")", "scrape", () -> {
            for (TextFamily f : families) {
                f.writeText(text);
            }
            text.flushBuffer();
        });
        Map<String, Consumer<PrometheusRegistry>> jvm = new LinkedHashMap<>();
        jvm.put("JvmThreadsMetrics", r -> JvmThreadsMetrics.builder().register(r));
        jvm.put("ProcessMetrics", r -> ProcessMetrics.builder().register(r));
        jvm.put("JvmMemoryMetrics", r -> JvmMemoryMetrics.builder().register(r));
        jvm.put("JvmGarbageCollectorMetrics", r -> JvmGarbageCollectorMetrics.builder().register(r));
        jvm.put("JvmBufferPoolMetrics", r -> JvmBufferPoolMetrics.builder().register(r));
        jvm.put("JvmCompilationMetrics", r -> JvmCompilationMetrics.builder().register(r));
        jvm.put("JvmClassLoadingMetrics", r -> JvmClassLoadingMetrics.builder().register(r));
        jvm.put("JvmRuntimeInfoMetric", r -> JvmRuntimeInfoMetric.builder().register(r));
        jvm.put("JvmMemoryPoolAllocationMetrics", r -> JvmMemoryPoolAllocationMetrics.builder().register(r));
        for (Map.Entry<String, Consumer<PrometheusRegistry>> e : jvm.entrySet()) {
            PrometheusRegistry r = new PrometheusRegistry();
            e.getValue().accept(r);
            MetricsHandler h = new MetricsHandler(r);
            print(e.getKey(), "scrape", () -> h.write(discard));
        }
    }

    /** What the metrics' subscription spends on an event: a transition, and a timer's state event (no run). */
    @Test
    void cpuPerEvent() throws Exception {
        MachineEventMetrics events = new MachineEventMetrics(new PrometheusRegistry());
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        MachineEvent[] made = new MachineEvent[4 * MACHINES];
        int[] next = {0};
        for (int i = 0; i < MACHINES; i++) {
            made[4 * i] = new TransitionEvent("node", "m_" + i, "id", "1.0.0", t, "go", "idle", "busy");
            made[4 * i + 1] = new WatcherStateEvent("node", "m_" + i, "id", "1.0.0", t, "timer", "to_idle",
                    Map.of("timer", 30_000_000_000L, "state", "running"));
            made[4 * i + 2] = new TransitionEvent("node", "m_" + i, "id", "1.0.0", t, "back", "busy", "idle");
            made[4 * i + 3] = new WatcherStateEvent("node", "m_" + i, "id", "1.0.0", t, "timer", "to_busy",
                    Map.of("timer", 30_000_000_000L, "state", "running"));
        }
        print("100 events (half transitions)", "100 events", () -> {
            for (int i = 0; i < 100; i++) {
                events.publish(made[next[0]++ % made.length]);
            }
        });
    }

    private interface Scrape {
        void run() throws Exception;
    }

    /** Prints the CPU time and bytes allocated per run of {@code scrape} ({@code per}), after as many to warm up. */
    private static void print(String what, String per, Scrape scrape) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < SCRAPES; i++) {
            scrape.run();
        }
        long cpu = threads.getCurrentThreadCpuTime();
        long bytes = threads instanceof com.sun.management.ThreadMXBean t
                ? t.getThreadAllocatedBytes(Thread.currentThread().getId()) : -1;
        for (int i = 0; i < SCRAPES; i++) {
            scrape.run();
        }
        double us = (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / SCRAPES;
        long allocated = threads instanceof com.sun.management.ThreadMXBean t
                ? (t.getThreadAllocatedBytes(Thread.currentThread().getId()) - bytes) / SCRAPES : -1;
        System.out.printf("  %-32s %6.0f us CPU, %4d KB allocated per %s%n", what, us, allocated / 1024, per);
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
