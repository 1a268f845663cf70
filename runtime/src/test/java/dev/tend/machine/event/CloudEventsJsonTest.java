package dev.tend.machine.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventsJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2024-05-01T10:00:00Z");

    static TransitionEvent transition(Instant time) {
        return new TransitionEvent("node1", "web", "5c0f6e0a-7a5e-4e2e-9b1b-1f0a2b3c4d5e", "1.0.0", time,
                "fire_1", "unknown", "one");
    }

    static WatcherStateEvent watcher(Map<String, Object> fields) {
        return new WatcherStateEvent("node1", "web", "instance-1", "1.0.0", AT, "exec", "check", fields);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void aTransitionIsAStructuredCloudEvent() throws IOException {
        JsonNode json = JSON.readTree(CloudEventsJson.encode(transition(AT.plusMillis(987))));

        assertThat(names(json)).containsExactlyInAnyOrder(
                "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data");
        assertThat(json.get("specversion").asText()).isEqualTo("1.0");
        assertThat(UUID.fromString(json.get("id").asText())).isNotNull();
        assertThat(json.get("source").asText()).isEqualTo("dev.tend.machine");
        assertThat(json.get("type").asText()).isEqualTo("dev.tend.machine.v1.transition");
        assertThat(json.get("subject").asText()).isEqualTo("node1");
        assertThat(json.get("time").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(json.get("datacontenttype").asText()).isEqualTo("application/json");

        JsonNode data = json.get("data");
        assertThat(data.isObject()).isTrue();
        assertThat(names(data)).containsExactly("protocol", "identity", "id", "version", "timestamp", "machine",
                "transition", "from_state", "to_state");
        assertThat(data.get("protocol").asText()).isEqualTo("dev.tend.machine.v1.transition");
        assertThat(data.get("identity").asText()).isEqualTo("node1");
        assertThat(data.get("id").asText()).isEqualTo("5c0f6e0a-7a5e-4e2e-9b1b-1f0a2b3c4d5e");
        assertThat(data.get("version").asText()).isEqualTo("1.0.0");
        assertThat(data.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(data.get("timestamp").asLong()).isEqualTo(AT.getEpochSecond());
        assertThat(data.get("machine").asText()).isEqualTo("web");
        assertThat(data.get("transition").asText()).isEqualTo("fire_1");
        assertThat(data.get("from_state").asText()).isEqualTo("unknown");
        assertThat(data.get("to_state").asText()).isEqualTo("one");
    }

    @Test
    void aWatcherStateCarriesTheCommonFieldsAndItsOwn() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("command", "check.sh");
        fields.put("previous_outcome", "success");
        fields.put("previous_run_time", Duration.ofMillis(1500));
        fields.put("checked_at", Instant.parse("2024-05-01T09:59:58Z"));
        fields.put("name", "not the watcher's name");

        JsonNode json = JSON.readTree(CloudEventsJson.encodeToString(watcher(fields)));

        assertThat(json.get("type").asText()).isEqualTo("dev.tend.machine.watcher.exec.v1.state");
        JsonNode data = json.get("data");
        assertThat(names(data)).containsExactly("protocol", "identity", "id", "version", "timestamp", "type",
                "machine", "name", "command", "previous_outcome", "previous_run_time", "checked_at");
        assertThat(data.get("protocol").asText()).isEqualTo("dev.tend.machine.watcher.exec.v1.state");
        assertThat(data.get("id").asText()).isEqualTo("instance-1");
        assertThat(data.get("type").asText()).isEqualTo("exec");
        assertThat(data.get("name").asText()).isEqualTo("check");
        assertThat(data.get("command").asText()).isEqualTo("check.sh");
        assertThat(data.get("previous_run_time").asLong()).isEqualTo(1_500_000_000L); // Go: nanoseconds
        assertThat(data.get("checked_at").asText()).isEqualTo("2024-05-01T09:59:58Z");
    }

    @Test
    void numbersInTheDataAreWrittenAsChoriaWritesThem() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("value", 22194048.0);
        fields.put("ratio", 0.5);
        fields.put("huge", 1e21);
        fields.put("nan", Double.NaN);

        assertThat(CloudEventsJson.encodeToString(watcher(fields)))
                .contains("\"value\":22194048,\"ratio\":0.5,\"huge\":1e+21,\"nan\":\"NaN\"");
    }

    @Test
    void everyEncodingHasANewId() throws IOException {
        TransitionEvent event = transition(AT);
        String a = JSON.readTree(CloudEventsJson.encode(event)).get("id").asText();
        String b = JSON.readTree(CloudEventsJson.encode(event)).get("id").asText();

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void anEmptyIdentityIsUnknown() throws IOException {
        TransitionEvent event = new TransitionEvent("", "web", "i", "1", AT, "t", "a", "b");
        JsonNode json = JSON.readTree(CloudEventsJson.encode(event));

        assertThat(json.get("subject").asText()).isEqualTo("unknown");
        assertThat(json.get("data").get("identity").asText()).isEqualTo("unknown");
    }

    @Test
    void transitionsRoundTrip() {
        TransitionEvent event = transition(AT);

        assertThat(CloudEventsJson.decode(CloudEventsJson.encodeToString(event))).isEqualTo(event);
    }

    @Test
    void roundTripTimesAreWholeSeconds() {
        MachineEvent decoded = CloudEventsJson.decode(CloudEventsJson.encodeToString(transition(AT.plusMillis(999))));

        assertThat(decoded.time()).isEqualTo(AT);
    }

    @Test
    void watcherStatesRoundTrip() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("state", "on");
        fields.put("count", 3);
        fields.put("nested", Map.of("list", List.of("a", true)));
        WatcherStateEvent event = watcher(fields);

        MachineEvent decoded = CloudEventsJson.decode(CloudEventsJson.encode(event));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.toString()).isEqualTo(event.toString());
    }

    @Test
    void dataIsTheReferenceShape() {
        assertThat(CloudEventsJson.data(transition(AT))).containsExactly(
                Map.entry("protocol", "dev.tend.machine.v1.transition"),
                Map.entry("identity", "node1"),
                Map.entry("id", "5c0f6e0a-7a5e-4e2e-9b1b-1f0a2b3c4d5e"),
                Map.entry("version", "1.0.0"),
                Map.entry("timestamp", AT.getEpochSecond()),
                Map.entry("machine", "web"),
                Map.entry("transition", "fire_1"),
                Map.entry("from_state", "unknown"),
                Map.entry("to_state", "one"));
    }

    @Test
    void textThatIsNotATendEventIsRefusedClearly() {
        String valid = CloudEventsJson.encodeToString(transition(AT));

        assertThatThrownBy(() -> CloudEventsJson.decode("not json"))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("not a CloudEvent: ");
        assertThatThrownBy(() -> CloudEventsJson.decode("{\"hello\": 1}"))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("not a CloudEvent: ");
        assertThatThrownBy(() -> CloudEventsJson.decode(valid.replace("\"dev.tend.machine\"", "\"io.choria.machine\"")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("not a Tend machine event: source \"io.choria.machine\"");
        assertThatThrownBy(() -> CloudEventsJson.decode(valid.replace("\"type\":\"dev.tend.machine.v1.transition\"",
                "\"type\":\"dev.tend.machine.v9.other\"")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageMatching("event [0-9a-f-]+: unknown type \"dev.tend.machine.v9.other\"");
        assertThatThrownBy(() -> CloudEventsJson.decode(valid.replace("\"to_state\":\"one\"", "\"to\":\"one\"")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageMatching("event [0-9a-f-]+: data has no \"to_state\"");
        assertThatThrownBy(() -> CloudEventsJson.decode(valid.replaceAll(",\"data\":\\{.*}}$", "}")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageMatching("event [0-9a-f-]+ has no data");
        assertThatThrownBy(() -> CloudEventsJson.decode(valid.replaceAll("\"data\":\\{.*}}$", "\"data\":[1]}")))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageMatching("event [0-9a-f-]+: data is not a JSON object");
    }

    @Test
    void decodingMessagesAreOneLine() {
        assertThatThrownBy(() -> CloudEventsJson.decode("{\"specversion\": \"1.0\",\n\"id\": "))
                .isInstanceOf(MalformedEventException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
