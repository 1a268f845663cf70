package dev.tend.machine.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.control.ControlException.Code;
import dev.tend.machine.event.TransitionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code events} op: CloudEvents as they happen, per machine or all, and slow clients dropped. */
@Timeout(60)
@ResourceLock(value = "threads tend-control-", mode = ResourceAccessMode.READ)
class ControlEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    ControlTestMachines machines;
    ControlServer server;
    ControlClient client;

    @BeforeEach
    void setUp() throws Exception {
        machines = new ControlTestMachines(tmp.resolve("state"));
        machines.add("alpha", tmp.resolve("machines/alpha"));
        machines.add("beta", tmp.resolve("machines/beta"));
        server = ControlServer.start(tmp.resolve("agent.sock"), machines,
                new ControlSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), 8, 64));
        client = new ControlClient(server.socket());
    }

    @AfterEach
    void tearDown() {
        server.close();
        machines.close();
    }

    @Test
    void streamsTransitionsOfEveryMachineAsCloudEvents() throws Exception {
        try (ControlClient.EventStream events = client.events(null)) {
            client.transition("alpha", "on");
            client.transition("beta", "break");
            JsonNode first = JSON.readTree(events.next());
            assertThat(first.get("specversion").asText()).isEqualTo("1.0");
            assertThat(first.get("type").asText()).isEqualTo(TransitionEvent.TYPE);
            assertThat(first.get("subject").asText()).isEqualTo("node1");
            assertThat(first.at("/data/machine").asText()).isEqualTo("alpha");
            assertThat(first.at("/data/transition").asText()).isEqualTo("on");
            assertThat(first.at("/data/from_state").asText()).isEqualTo("off");
            assertThat(first.at("/data/to_state").asText()).isEqualTo("on");
            JsonNode second = JSON.readTree(events.next());
            assertThat(second.at("/data/machine").asText()).isEqualTo("beta");
            assertThat(second.at("/data/to_state").asText()).isEqualTo("broken");
        }
    }

    @Test
    void streamsOnlyTheNamedMachine() throws Exception {
        try (ControlClient.EventStream events = client.events("beta")) {
            client.transition("alpha", "on");
            client.transition("beta", "on");
            client.transition("alpha", "off");
            client.transition("beta", "off");
            assertThat(JSON.readTree(events.next()).at("/data/to_state").asText()).isEqualTo("on");
            JsonNode second = JSON.readTree(events.next());
            assertThat(second.at("/data/machine").asText()).isEqualTo("beta");
            assertThat(second.at("/data/to_state").asText()).isEqualTo("off");
        }
    }

    @Test
    void eventsOfAnUnknownMachineIsNotFound() {
        assertThatThrownBy(() -> client.events("gamma"))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND))
                .hasMessage("unknown machine \"gamma\"");
        assertThat(machines.subscriberCount()).isZero();
    }

    @Test
    void closingTheStreamFromAnotherThreadEndsTheWait() throws Exception {
        ControlClient.EventStream events = client.events(null);
        CompletableFuture<String> next = CompletableFuture.supplyAsync(() -> {
            try {
                return events.next();
            } catch (ControlException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(() -> machines.subscriberCount() == 1);
        events.close();
        assertThat(next.get(20, TimeUnit.SECONDS)).isNull();
        awaitTrue(() -> machines.subscriberCount() == 0); // the server noticed the client left
    }

    @Test
    void aClientThatLeavesEndsItsSubscription() throws Exception {
        try (RawControlClient raw = new RawControlClient(server.socket())) {
            raw.send("{\"op\":\"events\"}\n");
            assertThat(raw.readJson().toString()).isEqualTo("{\"v\":1,\"ok\":true}");
            assertThat(machines.subscriberCount()).isEqualTo(1);
        }
        awaitTrue(() -> machines.subscriberCount() == 0);
    }

    @Test
    void aSlowClientIsDroppedWithAFinalErrorWithoutBlockingPublishers() throws Exception {
        try (RawControlClient slow = new RawControlClient(server.socket())) {
            slow.send("{\"op\":\"events\"}\n");
            assertThat(slow.readJson().get("ok").asBoolean()).isTrue();
            // The client reads nothing while machines publish far more than its queue and the socket's buffers hold.
            int published = 20_000;
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
                String padding = "x".repeat(500);
                for (int i = 0; i < published; i++) {
                    machines.publish(new TransitionEvent("node1", "alpha", "id", "1.0.0", Instant.now(),
                            "on" + padding, "off", "on#" + i));
                }
            });
            publisher.get(20, TimeUnit.SECONDS); // never held up by the client
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = slow.readLine()) != null) {
                lines.add(line);
            }
            assertThat(lines.size()).isBetween(1, published);
            JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
            assertThat(last.toString()).isEqualTo("{\"v\":1,\"ok\":false,\"error\":\"dropped: this client fell more"
                    + " than 8 events behind\",\"code\":\"failure\"}");
            for (String event : lines.subList(0, lines.size() - 1)) {
                assertThat(JSON.readTree(event).get("type").asText()).isEqualTo(TransitionEvent.TYPE);
            }
        }
        awaitTrue(() -> machines.subscriberCount() == 0);
        try (ControlClient.EventStream fresh = client.events("alpha")) { // the server still streams to others
            client.transition("alpha", "on");
            assertThat(JSON.readTree(fresh.next()).at("/data/to_state").asText()).isEqualTo("on");
        }
    }

    @Test
    void theClientReportsTheDropAsAnError() throws Exception {
        ControlClient.EventStream events = client.events(null);
        try (events) {
            awaitTrue(() -> machines.subscriberCount() == 1);
            // The stream's reader is not reading: publish until the server gives up on it.
            for (int i = 0; i < 20_000 && machines.subscriberCount() > 0; i++) {
                machines.publish(new TransitionEvent("node1", "alpha", "id", "1.0.0", Instant.now(),
                        "on" + "y".repeat(500), "off", "on"));
            }
            assertThatThrownBy(() -> {
                while (events.next() != null) {
                    // drain what was sent before the drop
                }
            }).isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code()).isEqualTo(Code.FAILURE))
                    .hasMessage("dropped: this client fell more than 8 events behind");
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
