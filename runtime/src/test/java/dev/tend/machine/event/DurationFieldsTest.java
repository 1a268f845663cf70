package dev.tend.machine.event;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The nanoseconds of the reference's duration fields read as Go durations where a person reads them. */
class DurationFieldsTest {

    @Test
    void theNanosecondFieldsBecomeDurationsAndTheOthersStay() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("command", "./x");
        fields.put("previous_run_time", 122_458_368L);
        fields.put("timer", BigInteger.valueOf(600_000_000_000L));
        fields.put("runtime", 1.5);
        Map<String, Object> readable = DurationFields.readable(fields);
        assertThat(readable).containsExactly(Map.entry("command", "./x"),
                Map.entry("previous_run_time", Duration.ofNanos(122_458_368L)),
                Map.entry("timer", Duration.ofMinutes(10)), Map.entry("runtime", 1.5));
        assertThat(DurationFields.readable(Map.of("timer", "10m0s"))).containsEntry("timer", "10m0s");
    }

    @Test
    void anEventsLineShowsGoDurationsAndItsJsonKeepsNanoseconds() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", "running");
        fields.put("timer", 600_000_000_000L);
        WatcherStateEvent event = new WatcherStateEvent("node1", "job", "id", "1.0.0",
                Instant.parse("2026-12-07T13:40:01Z"), "timer", "wait", fields);
        assertThat(event.toString()).isEqualTo("node1 job timer watcher wait {state=running, timer=10m0s}");
        assertThat(CloudEventsJson.encodeToString(event)).contains("\"timer\":600000000000");
    }
}
