package dev.tend.machine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.LoadFailure;
import dev.tend.machine.MachineStatus;
import dev.tend.machine.WatcherStatus;
import dev.tend.machine.spi.WatcherNext;
import dev.tend.machine.spi.WatcherRun;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The fields the protocol added for "why is it stuck": written, read back, and optional for an older agent. */
class ControlProtocolTest {

    private static final Instant SINCE = Instant.parse("2026-12-07T13:40:01.250Z");
    private static final Instant NOW = Instant.parse("2026-12-07T13:42:14.500Z");

    private static MachineStatus status() {
        Map<String, Object> timer = new LinkedHashMap<>();
        timer.put("state", "running");
        timer.put("timer", 600_000_000_000L);
        WatcherStatus exec = new WatcherStatus("work", "exec", false, Map.of("previous_outcome", "skipped"),
                new WatcherRun("error", 3, SINCE.minusSeconds(2), Duration.ofMillis(1121), "step 30\ndisk full"), null);
        WatcherStatus wait = new WatcherStatus("wait", "timer", true, timer, null,
                new WatcherNext("expires", SINCE.plus(Duration.ofMinutes(10))));
        return new MachineStatus("job", "1.0.0", "waiting", "/m/job", "id", SINCE.minusSeconds(60), List.of("retry"),
                List.of(exec, wait), List.of(), SINCE, Map.of("user", "bob"));
    }

    @Test
    void writesTheTimeInStateLastRunAndNextInGoUnits() {
        JsonNode n = ControlProtocol.machine(status(), NOW);
        assertThat(n.get("state_since").asText()).isEqualTo("2026-12-07T13:40:01.250Z");
        assertThat(n.get("time_in_state").asText()).isEqualTo("2m13.25s");
        assertThat(n.get("data").get("user").asText()).isEqualTo("bob");
        JsonNode run = n.get("watchers").get(0).get("last_run");
        assertThat(run.toString()).isEqualTo("{\"outcome\":\"error\",\"exit_code\":3,\"started\":"
                + "\"2026-12-07T13:39:59.250Z\",\"duration\":\"1.121s\",\"output_tail\":\"step 30\\ndisk full\"}");
        JsonNode wait = n.get("watchers").get(1);
        assertThat(wait.get("state").get("timer").asLong()).isEqualTo(600_000_000_000L); // as the events write it
        assertThat(wait.get("next").toString()).isEqualTo("{\"what\":\"expires\",\"at\":\"2026-12-07T13:50:01.250Z\","
                + "\"in\":\"7m46.75s\"}");
        assertThat(wait.has("last_run")).isFalse();
    }

    @Test
    void readsThemBack() throws Exception {
        MachineStatus back = ControlProtocol.machineStatus(ControlProtocol.machine(status(), NOW));
        assertThat(back.stateSince()).isEqualTo(SINCE);
        assertThat(back.timeInState(NOW)).isEqualTo(Duration.ofMillis(133_250));
        assertThat(back.data()).isEqualTo(Map.of("user", "bob"));
        assertThat(back.watchers().get(0).lastRun()).isEqualTo(status().watchers().get(0).lastRun());
        assertThat(back.watchers().get(1).next()).isEqualTo(status().watchers().get(1).next());
        assertThat(back.watchers().get(1).state()).containsEntry("timer", 600_000_000_000L);
    }

    @Test
    void anOlderAgentsMachineHasNoneOfThem() throws Exception {
        JsonNode old = JsonLines.read("{\"name\":\"a\",\"version\":\"1\",\"state\":\"s\",\"path\":\"/a\","
                + "\"instance_id\":\"i\",\"start_time\":null,\"available_transitions\":[],\"watchers\":"
                + "[{\"name\":\"w\",\"type\":\"exec\",\"active\":true,\"state\":{}}]}");
        MachineStatus s = ControlProtocol.machineStatus(old);
        assertThat(s.stateSince()).isNull();
        assertThat(s.timeInState(NOW)).isNull();
        assertThat(s.data()).isEmpty();
        assertThat(s.watchers().get(0).lastRun()).isNull();
        assertThat(s.watchers().get(0).next()).isNull();
    }

    @Test
    void aFailedMachineRoundTrips() throws Exception {
        LoadFailure f = new LoadFailure("broken", "/m/broken", List.of("/m/broken/machine.yaml:21: watcher \"wait\": "
                + "unknown transition \"nowhere\"", "/m/broken/machine.yaml:30: another"));
        JsonNode n = ControlProtocol.failure(f);
        assertThat(n.get("state").asText()).isEqualTo("FAILED");
        assertThat(n.get("error").asText()).isEqualTo(f.error());
        assertThat(ControlProtocol.loadFailure(n)).isEqualTo(f);
    }

    @Test
    void scalarStateValuesAreTheNodesTheObjectMapperMakes() {
        ObjectMapper mapper = new ObjectMapper();
        List<Object> values = List.of("text", "", true, false, 0, -5, Integer.MAX_VALUE, 1L, Long.MIN_VALUE, 0.25,
                -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e300, (short) 3, (byte) 7, 0.1f, new BigDecimal("1.50"),
                new BigInteger("123456789012345678901234567890"), new AtomicLong(9));
        for (Object v : values) {
            JsonNode expected = mapper.valueToTree(v);
            JsonNode actual = ControlProtocol.value(v);
            assertThat(actual).as("%s (%s)", v, v.getClass().getSimpleName()).isEqualTo(expected);
            assertThat(actual.getClass()).as("%s (%s)", v, v.getClass().getSimpleName()).isEqualTo(expected.getClass());
            assertThat(JsonLines.write(actual)).isEqualTo(JsonLines.write(expected));
        }
    }
}
