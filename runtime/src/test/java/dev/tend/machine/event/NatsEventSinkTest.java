package dev.tend.machine.event;

import ch.qos.logback.classic.Level;
import dev.tend.kv.ConnectionOptions;
import dev.tend.kv.nats.NatsConnections;
import dev.tend.kv.nats.NatsServer;
import dev.tend.kv.nats.NatsServerExtension;
import dev.tend.machine.Machine;
import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineEnvironment;
import dev.tend.machine.TransitionDefinition;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.engine.Machines;
import dev.tend.machine.testing.LogCapture;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Machine events on a real nats-server: subjects, payloads, the prefix, and outages that never hold a machine. */
@Timeout(120)
@ExtendWith(NatsServerExtension.class)
class NatsEventSinkTest implements NatsServerExtension.Aware {

    private static final Instant AT = Instant.parse("2026-11-25T19:02:11Z");
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private NatsServer shared;
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @Override
    public void natsServer(NatsServer server) {
        this.shared = server;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    private Connection subscriber(NatsServer server) throws Exception {
        // Reconnects for as long as a test runs, as a fleet's follower would.
        Connection c = Nats.connect(new Options.Builder().server(server.url()).maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100)).build());
        closing(c::close);
        return c;
    }

    private static TransitionEvent transition(String machine, String name) {
        return new TransitionEvent("web1", machine, "instance-1", "1.0.0", AT, name, "idle", "running");
    }

    private static Message next(Subscription sub) throws InterruptedException {
        Message m = sub.nextMessage(DEADLINE);
        assertThat(m).as("a message on " + sub.getSubject() + " within the deadline").isNotNull();
        return m;
    }

    private static String text(Message m) {
        return new String(m.getData(), StandardCharsets.UTF_8);
    }

    @Test
    void publishesTransitionsAndWatcherStatesOnTheirSubjectsAsTheEventsFileHasThem() throws Exception {
        Connection c = subscriber(shared);
        Subscription sub = c.subscribe("tend.machine.>");
        c.flush(DEADLINE);
        NatsEventSink sink = closing(NatsEventSink.start(shared.url(), ConnectionOptions.defaults(),
                NatsEventSubjects.defaults()));

        TransitionEvent t = transition("HVAC", "air_bad");
        WatcherStateEvent w = new WatcherStateEvent("web1", "HVAC", "instance-1", "1.0.0", AT, "exec", "check",
                Map.of("command", "/bin/true", "previous_outcome", "success"));
        sink.publish(t);
        sink.publish(w);

        Message first = next(sub);
        assertThat(first.getSubject()).isEqualTo("tend.machine.transition");
        assertThat(CloudEventsJson.decode(first.getData())).isEqualTo(t);
        assertThat(text(first)).contains("\"source\":\"dev.tend.machine\"", "\"subject\":\"web1\"",
                "\"type\":\"dev.tend.machine.v1.transition\"", "\"to_state\":\"running\"");
        assertThat(first.getHeaders().getFirst(NatsEventSink.IDENTITY_HEADER)).isEqualTo("web1");
        assertThat(first.getHeaders().getFirst(NatsEventSink.MACHINE_HEADER)).isEqualTo("HVAC");

        Message second = next(sub);
        assertThat(second.getSubject()).isEqualTo("tend.machine.watcher.exec.state");
        assertThat(CloudEventsJson.decode(second.getData())).isEqualTo(w);
        assertThat(text(second)).contains("\"type\":\"dev.tend.machine.watcher.exec.v1.state\"");
        // The same JSON as the events file and the control socket carry, apart from the CloudEvent's own id.
        assertThat(text(second).replaceAll("\"id\":\"[^\"]+\",\"source\"", ""))
                .isEqualTo(CloudEventsJson.encodeToString(w).replaceAll("\"id\":\"[^\"]+\",\"source\"", ""));
    }

    @Test
    void thePrefixIsConfigurable() throws Exception {
        Connection c = subscriber(shared);
        Subscription custom = c.subscribe("fleet-a.events.>");
        Subscription standard = c.subscribe("tend.machine.>");
        c.flush(DEADLINE);
        NatsEventSink sink = closing(NatsEventSink.start(shared.url(), ConnectionOptions.defaults(),
                new NatsEventSubjects("fleet-a.events")));

        sink.publish(transition("door", "open"));
        sink.publish(new WatcherStateEvent("web1", "door", "i", "1.0.0", AT, "kv", "watch", Map.of()));

        assertThat(next(custom).getSubject()).isEqualTo("fleet-a.events.transition");
        assertThat(next(custom).getSubject()).isEqualTo("fleet-a.events.watcher.kv.state");
        c.flush(DEADLINE); // the server sent everything for both subscriptions, in order, before answering this
        assertThat(standard.getPendingMessageCount()).isZero();
    }

    @Test
    void subjectsAreBuiltInOnePlace() {
        NatsEventSubjects subjects = new NatsEventSubjects("a-1.b_2");
        assertThat(subjects.all()).isEqualTo("a-1.b_2.>");
        assertThat(subjects.subject(transition("m", "go"))).isEqualTo("a-1.b_2.transition");
        // A plugin's watcher type is not checked: whatever NATS would read as a separator or wildcard becomes '_'.
        assertThat(subjects.subject(new WatcherStateEvent("n", "m", "i", "1", AT, "my.type *>", "w", Map.of())))
                .isEqualTo("a-1.b_2.watcher.my_type___.state");
        assertThat(NatsEventSubjects.defaults().prefix()).isEqualTo("tend.machine");
    }

    @Test
    void refusesPrefixesThatAreNotPlainSubjects() {
        for (String bad : List.of("a..b", ".a", "a.", "a b", "tend.mach\tine", "a.*", "a.>", "a.b*", "é.b", "")) {
            assertThatThrownBy(() -> new NatsEventSubjects(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("\n")
                    .hasMessageContaining(bad.isEmpty() ? "empty" : "\"" + bad + "\"");
        }
        assertThatThrownBy(() -> new NatsEventSubjects("a..b")).hasMessageContaining("empty token");
        assertThatThrownBy(() -> new NatsEventSubjects("a.>")).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> new NatsEventSubjects(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCreatedSinkConnectsOnlyOnceBegunAndQueuesWhatComesBefore() throws Exception {
        NatsServer server = closing(NatsServer.start());
        Connection c = subscriber(server);
        Subscription sub = c.subscribe("tend.machine.transition");
        c.flush(DEADLINE);
        AtomicInteger connects = new AtomicInteger();
        NatsEventSink sink = closing(NatsEventSink.create(() -> {
            connects.incrementAndGet();
            return NatsConnections.connect(server.url(), ConnectionOptions.defaults());
        }, NatsEventSubjects.defaults(), NatsEventSink.DEFAULT_QUEUE_CAPACITY, Duration.ofMillis(100)));
        Machine machine = closing(new TestMachine(sink)).machine;

        assertThat(machine.transition("on")).isEqualTo("on");
        assertThat(connects.get()).as("no connection before begin()").isZero();

        try (LogCapture log = LogCapture.of(NatsEventSink.class)) {
            sink.begin();
            sink.begin(); // once only
            assertThat(CloudEventsJson.decode(next(sub).getData())).as("the event given before begin()")
                    .isInstanceOfSatisfying(TransitionEvent.class, e -> assertThat(e.transition()).isEqualTo("on"));
            await("the connection to be logged", () -> log.lines(Level.INFO).stream()
                    .anyMatch(l -> l.startsWith("publishing machine events on NATS subjects")));
        }
        assertThat(connects.get()).isEqualTo(1);
    }

    @Test
    void aStoppedServerNeitherHoldsNorBreaksTheMachinesAndARestartedOneGetsNewEvents() throws Exception {
        NatsServer server = closing(NatsServer.start());
        Connection c = subscriber(server);
        Subscription sub = c.subscribe("tend.machine.transition");
        c.flush(DEADLINE);
        NatsEventSink sink = closing(NatsEventSink.start(() -> NatsConnections.connect(server.url(),
                ConnectionOptions.defaults()), NatsEventSubjects.defaults(), NatsEventSink.DEFAULT_QUEUE_CAPACITY,
                Duration.ofMillis(100)));
        Machine machine = closing(new TestMachine(sink)).machine;

        assertThat(machine.transition("on")).isEqualTo("on");
        assertThat(CloudEventsJson.decode(next(sub).getData())).isInstanceOfSatisfying(TransitionEvent.class,
                e -> assertThat(e.transition()).isEqualTo("on"));

        try (LogCapture log = LogCapture.of(NatsEventSink.class)) {
            server.stop();
            // Every transition still happens, none waits for NATS (the events wait in jnats' reconnect buffer).
            for (int i = 0; i < 100; i++) {
                assertThat(machine.transition("off")).isEqualTo("off");
                assertThat(machine.transition("on")).isEqualTo("on");
            }
            await("the outage to be logged", () -> !log.lines(Level.WARN).isEmpty());
            assertThat(log.lines(Level.WARN)).as("logged once per outage, not per event").hasSize(1);

            server.restart();
            // Events after the restart arrive (the subscriber reconnects too, so older ones may or may not).
            await(() -> "an event published after the restart; the sink logged " + log.lines(Level.INFO)
                    + ", the subscriber is " + c.getStatus(), () -> {
                assertThat(machine.transition("off")).isEqualTo("off");
                assertThat(machine.transition("break")).isEqualTo("broken");
                assertThat(machine.transition("fix")).isEqualTo("off");
                assertThat(machine.transition("on")).isEqualTo("on");
                Message m;
                while ((m = sub.nextMessage(Duration.ofMillis(200))) != null) {
                    if (((TransitionEvent) CloudEventsJson.decode(m.getData())).transition().equals("break")) {
                        return true;
                    }
                }
                return false;
            });
            await("the end of the outage to be logged", () -> !log.lines(Level.INFO).isEmpty());
            assertThat(log.lines(Level.INFO).get(0)).matches("reconnected to NATS; \\d+ machine events? (was|were)"
                    + " dropped meanwhile");
            assertThat(log.lines(Level.WARN)).as("still one warning for the one outage").hasSize(1);
        }
    }

    @Test
    void startsWithoutAServerAndPublishesOnceOneIsUp() throws Exception {
        NatsServer server = closing(NatsServer.start());
        server.stop();
        try (LogCapture log = LogCapture.of(NatsEventSink.class)) {
            NatsEventSink sink = closing(NatsEventSink.start(() -> NatsConnections.connect(server.url(),
                    ConnectionOptions.defaults()), NatsEventSubjects.defaults(), 16, Duration.ofMillis(100)));
            await("the failed connection to be logged", () -> !log.lines(Level.WARN).isEmpty());
            assertThat(log.lines(Level.WARN)).hasSize(1).allMatch(l -> l.contains("cannot connect to NATS at "
                    + server.url()) && l.contains("logged once"));
            for (int i = 0; i < 50; i++) {
                sink.publish(transition("door", "before-" + i)); // nowhere to go yet: kept (16) or dropped
            }

            server.restart();
            Connection c = subscriber(server);
            Subscription sub = c.subscribe("tend.machine.transition");
            c.flush(DEADLINE);
            await("an event published once the server is up", () -> {
                sink.publish(transition("door", "after"));
                Message m;
                while ((m = sub.nextMessage(Duration.ofMillis(200))) != null) {
                    if (((TransitionEvent) CloudEventsJson.decode(m.getData())).transition().equals("after")) {
                        return true;
                    }
                }
                return false;
            });
            assertThat(log.lines(Level.WARN)).hasSize(1);
            assertThat(log.lines(Level.INFO)).anyMatch(l -> l.startsWith("connected to NATS; ")
                    && l.matches(".*; \\d+ machine events were dropped meanwhile"));
        }
    }

    @Test
    void anUnusableUrlIsLoggedOnceAndTurnsPublishingOff() throws Exception {
        try (LogCapture log = LogCapture.of(NatsEventSink.class)) {
            NatsEventSink sink = closing(NatsEventSink.start("nats://a,,b", ConnectionOptions.defaults(),
                    NatsEventSubjects.defaults()));
            sink.publish(transition("door", "open"));
            await("the error to be logged", () -> !log.lines(Level.ERROR).isEmpty());
            for (int i = 0; i < 10; i++) {
                sink.publish(transition("door", "open"));
            }
            assertThat(log.lines(Level.ERROR)).containsExactly("machine events are not published on NATS: invalid"
                    + " store URL \"nats://a,,b\": an empty server between commas");
        }
    }

    @Test
    void closePublishesWhatIsQueuedAndStopsItsThread() throws Exception {
        Connection c = subscriber(shared);
        Subscription sub = c.subscribe("tend.machine.transition");
        c.flush(DEADLINE);
        NatsEventSink sink = NatsEventSink.start(shared.url(), ConnectionOptions.defaults(),
                NatsEventSubjects.defaults());
        sink.publish(transition("door", "connected"));
        assertThat(CloudEventsJson.decode(next(sub).getData())).isEqualTo(transition("door", "connected"));
        for (int i = 0; i < 20; i++) {
            sink.publish(transition("door", "t" + i));
        }
        sink.close();
        sink.close();
        List<String> seen = new ArrayList<>();
        Message m;
        while (seen.size() < 20 && (m = sub.nextMessage(DEADLINE)) != null) {
            seen.add(((TransitionEvent) CloudEventsJson.decode(m.getData())).transition());
        }
        assertThat(seen).startsWith("t0", "t1").endsWith("t19").hasSize(20);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("tend-nats-events"));
        sink.publish(transition("door", "late")); // ignored, never throws
    }

    /** What {@link #await} polls; it may throw (a failed transition fails the test). */
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Condition condition) throws Exception {
        await(() -> what, condition);
    }

    private static void await(java.util.function.Supplier<String> what, Condition condition) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + "s waiting for " + what.get());
            }
            Thread.sleep(20);
        }
    }

    /** A real engine machine (off/on, broken) whose events go to the sink; operators' transitions are never delayed. */
    private final class TestMachine implements AutoCloseable {
        private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                r -> new Thread(r, "test-nats-events-scheduler"));
        private final ExecutorService blocking = Executors.newCachedThreadPool(
                r -> new Thread(r, "test-nats-events-blocking"));
        final Machine machine;

        TestMachine(EventSink sink) throws Exception {
            MachineEnvironment environment = MachineEnvironment.builder().identity("node1")
                    .watchers(WatcherRegistry.of(List.of())).stateDirectory(tmp.resolve("state"))
                    .events(sink).scheduler(scheduler).blockingExecutor(blocking).build();
            machine = Machines.create(new MachineDefinition("door", "1.0.0", "off", Duration.ZERO, List.of(
                    new TransitionDefinition("on", List.of("off"), "on", "", List.of()),
                    new TransitionDefinition("off", List.of("on"), "off", "", List.of()),
                    new TransitionDefinition("break", List.of("off"), "broken", "", List.of()),
                    new TransitionDefinition("fix", List.of("broken"), "off", "", List.of())),
                    List.of(), tmp.resolve("machines/door"), "0".repeat(64)), environment);
            machine.start();
            await("the machine to start", () -> machine.status().startTime() != null);
        }

        @Override
        public void close() {
            machine.stop();
            scheduler.shutdownNow();
            blocking.shutdownNow();
        }
    }
}
