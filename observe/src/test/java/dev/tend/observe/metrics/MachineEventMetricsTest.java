package dev.tend.observe.metrics;

import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MachineEventMetricsTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final MachineEventMetrics metrics = new MachineEventMetrics(registry);

    static String text(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static WatcherStateEvent exec(String outcome, long nanos, boolean timedOut) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("command", "check");
        f.put("previous_outcome", outcome);
        f.put("previous_run_time", nanos);
        if (timedOut) {
            f.put("timed_out", true);
        }
        return new WatcherStateEvent("node", "web", "id-1", "1.0.0", T, "exec", "check", f);
    }

    @Test
    void countsTransitionsByMachineStatesAndEvent() throws IOException {
        metrics.publish(new TransitionEvent("node", "web", "id-1", "1.0.0", T, "start", "idle", "running"));
        metrics.publish(new TransitionEvent("node", "web", "id-1", "1.0.0", T, "start", "idle", "running"));
        metrics.publish(new TransitionEvent("node", "db", "id-2", "1.0.0", T, "stop", "running", "idle"));
        assertThat(text(registry)).contains(
                "tend_machine_transitions_total{event=\"start\",from=\"idle\",machine=\"web\",to=\"running\"} 2.0",
                "tend_machine_transitions_total{event=\"stop\",from=\"running\",machine=\"db\",to=\"idle\"} 1.0");
    }

    @Test
    void countsEachRunOnceAndTimesItByTypeAndOutcome() throws IOException {
        metrics.publish(exec("unknown", 0, false)); // no run yet
        metrics.publish(exec("success", 20_000_000, false));
        metrics.publish(exec("success", 20_000_000, false)); // an announcement of the same run
        metrics.publish(exec("error", 3_000_000_000L, true));
        metrics.publish(exec("skipped", 3_000_000_000L, false));
        String t = text(registry);
        assertThat(t).contains(
                "tend_watcher_runs_total{machine=\"web\",outcome=\"success\",watcher=\"check\",watcher_type=\"exec\"} 1.0",
                "tend_watcher_runs_total{machine=\"web\",outcome=\"error\",watcher=\"check\",watcher_type=\"exec\"} 1.0",
                "tend_watcher_runs_total{machine=\"web\",outcome=\"skipped\",watcher=\"check\",watcher_type=\"exec\"} 1.0",
                "tend_watcher_run_duration_seconds_bucket{outcome=\"success\",watcher_type=\"exec\",le=\"0.025\"} 1",
                "tend_watcher_run_duration_seconds_bucket{outcome=\"success\",watcher_type=\"exec\",le=\"0.01\"} 0",
                "tend_watcher_run_duration_seconds_count{outcome=\"error\",watcher_type=\"exec\"} 1",
                "tend_watcher_run_duration_seconds_sum{outcome=\"error\",watcher_type=\"exec\"} 3.0",
                "tend_exec_timeouts_total{machine=\"web\",watcher=\"check\"} 1.0");
        assertThat(t).doesNotContain("outcome=\"unknown\"").doesNotContain("outcome=\"skipped\",watcher_type");
    }

    @Test
    void aNagiosCheckIsARunWithItsStatusAndRuntime() throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("plugin", "check_load");
        f.put("status", "WARNING");
        f.put("status_code", 1);
        f.put("check_time", 1_767_225_600L);
        f.put("runtime", 0.2);
        metrics.publish(new WatcherStateEvent("node", "load", "id-3", "1.0.0", T, "nagios", "check_load", f));
        Map<String, Object> never = new LinkedHashMap<>(f);
        never.put("check_time", 0L);
        metrics.publish(new WatcherStateEvent("node", "other", "id-4", "1.0.0", T, "nagios", "check_load", never));
        assertThat(text(registry)).contains("tend_watcher_runs_total{machine=\"load\",outcome=\"warning\","
                        + "watcher=\"check_load\",watcher_type=\"nagios\"} 1.0",
                "tend_watcher_run_duration_seconds_sum{outcome=\"warning\",watcher_type=\"nagios\"} 0.2")
                .doesNotContain("machine=\"other\"");
    }

    @Test
    void aWatcherWithoutOutcomeIsNotARun() throws IOException {
        metrics.publish(new WatcherStateEvent("node", "web", "id-1", "1.0.0", T, "timer", "t",
                Map.of("state", "running", "timer", 1_000_000_000L)));
        assertThat(text(registry)).doesNotContain("tend_watcher_runs_total{");
    }
}
