package dev.tend.observe.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The counter's exposition is the client's {@code Counter}'s for the same counts. */
class EventCounterTest {

    @Test
    void writesWhatTheClientsCounterWrites() throws IOException {
        PrometheusRegistry ours = new PrometheusRegistry();
        EventCounter counter = new EventCounter("tend_machine_transitions", "Transitions \"made\"\nby machines",
                "machine", "from", "to", "event");
        ours.register(counter);
        PrometheusRegistry client = new PrometheusRegistry();
        Counter reference = Counter.builder().name("tend_machine_transitions_total")
                .help("Transitions \"made\"\nby machines").labelNames("machine", "from", "to", "event")
                .register(client);
        String[][] made = {{"web", "idle", "busy", "go"}, {"db", "idle", "busy", "go"}, {"web", "busy", "idle", "back"},
            {"web", "idle", "busy", "go"}, {"a\"b\\c\nd", "x", "y", "z"}};
        for (String[] m : made) {
            counter.inc(m);
            reference.labelValues(m).inc();
        }

        String text = MachineEventMetricsTest.text(ours);
        assertThat(text).isEqualTo(MachineEventMetricsTest.text(client))
                .contains("tend_machine_transitions_total{event=\"go\",from=\"idle\",machine=\"web\",to=\"busy\"} 2.0");
        assertThat(counter.getPrometheusNames()).containsExactly("tend_machine_transitions");
    }

    @Test
    void aWrongNumberOfLabelValuesIsRefused() {
        EventCounter counter = new EventCounter("tend_exec_timeouts", "help", "machine", "watcher");
        assertThatThrownBy(() -> counter.inc("web")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tend_exec_timeouts has 2 labels, not 1");
    }
}
