package dev.tend.observe.metrics;

import dev.tend.machine.agent.Agent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handler writes the families with a series per machine from their own bytes: its exposition is, byte for byte,
 * what the client's text writer makes of the same registry, whatever the label values hold, with families of the
 * client's before, between and after them, and as machines move, come and go.
 */
class MetricsHandlerTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    /** Label values the text format escapes, and characters beyond ASCII. */
    private static final String[] ODD = {"a\"b\\c\nd", "\\\\\"\"\n\n", "é☃\uD83D\uDE00", "", "x\ty\rz"};

    @TempDir
    Path tmp;
    private Agent agent;
    private AutoCloseable subscription;

    @AfterEach
    void tearDown() throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void writesWhatTheClientsWriterWritesOfTheSameRegistry() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("machines"));
        for (String name : List.of("door", "gate", "lid")) {
            TestAgents.writeDoor(dir, name);
        }
        agent = TestAgents.agent(tmp, dir);
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter.builder().name("aaa_first").help("before them all").labelNames("k").register(registry)
                .labelValues(ODD[0]).inc();
        MachineStates states = MachineStates.register(registry, agent, agent::failedLoads);
        Gauge.builder().name("tend_machine_stateless").help("between the state gauge and the transitions")
                .register(registry).set(0.25);
        MachineEventMetrics events = new MachineEventMetrics(registry);
        Gauge.builder().name("zzz_last").help("after them all").register(registry).set(7);
        List<TextFamily> families = new ArrayList<>(events.textFamilies());
        families.add(states);
        MetricsHandler handler = new MetricsHandler(registry, families);

        assertSame(handler, registry); // before the agent runs: no series in the text families
        subscription = agent.subscribe(events);
        agent.start();
        while (agent.machines().size() < 3) {
            Thread.sleep(10);
        }
        assertSame(handler, registry);

        agent.machine("door").orElseThrow().transition("open");
        agent.machine("gate").orElseThrow().transition("open");
        agent.machine("gate").orElseThrow().transition("close");
        for (String odd : ODD) {
            events.publish(new TransitionEvent("node", odd, "id", "1.0.0", T, odd, "from " + odd, odd + " to"));
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("previous_outcome", "error");
            f.put("previous_run_time", 2_500_000_000L);
            f.put("timed_out", true);
            events.publish(new WatcherStateEvent("node", odd, "id", "1.0.0", T, "exec", odd + "w", f));
        }
        for (int i = 0; i < 12_345; i++) { // a count of five digits
            events.publish(new TransitionEvent("node", "busy", "id", "1.0.0", T, "go", "idle", "busy"));
        }
        waitForTransitions(registry, 3 + ODD.length + 1);
        String text = assertSame(handler, registry);
        assertThat(text).contains("tend_machine_state{machine=\"door\",state=\"opened\"} 1.0\n",
                "tend_machine_state{machine=\"door\",state=\"closed\"} 0.0\n",
                "tend_machine_transitions_total{event=\"go\",from=\"idle\",machine=\"busy\",to=\"busy\"} 12345.0\n",
                "machine=\"a\\\"b\\\\c\\nd\"");

        // A machine gone, one come: the gauge loses and gains their series.
        deleteTree(dir.resolve("lid"));
        TestAgents.writeDoor(dir, "hatch");
        agent.rescan();
        while (agent.machine("lid").isPresent() || agent.machine("hatch").isEmpty()) {
            Thread.sleep(10);
        }
        text = assertSame(handler, registry);
        assertThat(text).contains("machine=\"hatch\"").doesNotContain("tend_machine_state{machine=\"lid\"");
    }

    @Test
    void writesThousandsOfSeriesAndLongValuesAcrossItsBuffer() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        EventCounter counter = new EventCounter("tend_machine_transitions", "help \\ with\nescapes", "machine",
                "from", "to", "event");
        registry.register(counter);
        for (int i = 0; i < 3_000; i++) {
            for (int n = 0; n <= i % 3; n++) {
                counter.inc("m_" + i, "idle", "busy", "go");
            }
        }
        counter.inc("x".repeat(3 * TextOut.SIZE), "idle", "busy", "go");
        MetricsHandler handler = new MetricsHandler(registry, List.of(counter));
        assertSame(handler, registry);
    }

    @Test
    void valuesAreWrittenAsTheClientWritesDoubles() throws IOException {
        double[] values = {0, 1, 9, 10, 12_345, 9_999_999, 1e7, 12_345_678, 0.5, -1, -0.0, 1e-5, 1.0e300,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Long.MAX_VALUE, 123_456.75};
        for (double v : values) {
            PrometheusRegistry registry = new PrometheusRegistry();
            Gauge.builder().name("g").help("h").register(registry).set(v);
            String client = clientText(registry);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TextOut text = new TextOut(out);
            text.value(v);
            text.flushBuffer();
            assertThat("g " + out.toString(StandardCharsets.US_ASCII)).as("%s", v).isEqualTo(
                    client.substring(client.indexOf("\ng ") + 1));
        }
    }

    /** Asserts the handler writes what the client's writer writes of the whole registry, and returns it. */
    private static String assertSame(MetricsHandler handler, PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        handler.write(ours);
        String client = clientText(registry);
        String text = ours.toString(StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(client);
        assertThat(ours.toByteArray()).isEqualTo(client.getBytes(StandardCharsets.UTF_8));
        return text;
    }

    private static String clientText(PrometheusRegistry registry) throws IOException {
        return MachineEventMetricsTest.text(registry);
    }

    private static void waitForTransitions(PrometheusRegistry registry, int series) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L; // events reach the sinks after the calls return
        while (System.nanoTime() < deadline && clientText(registry).split("\ntend_machine_transitions_total\\{")
                .length - 1 < series) {
            Thread.sleep(10);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
