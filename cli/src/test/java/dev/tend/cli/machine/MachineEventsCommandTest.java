package dev.tend.cli.machine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.event.CloudEventsJson;
import dev.tend.machine.event.EventsFile;
import dev.tend.machine.event.MachineEvent;
import dev.tend.machine.event.TransitionEvent;
import dev.tend.machine.event.WatcherStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tend machine events}: recent events from the events file, and {@code --follow} from a real control server. */
@Timeout(60)
class MachineEventsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2024-01-15T10:00:00Z");

    @TempDir
    Path tmp;
    AgentFixture agent;
    Path state;

    @BeforeEach
    void setUp() throws Exception {
        agent = new AgentFixture(tmp).start();
        state = tmp.resolve("state");
    }

    @AfterEach
    void tearDown() {
        agent.close();
    }

    private static TransitionEvent transition(String machine, int second) {
        return new TransitionEvent("node1", machine, "id-" + machine, "1.0.0", T0.plusSeconds(second), "on", "off",
                "on");
    }

    /** Events {@code 0..count-1}, alternately of alpha and beta, one second apart, written by the real events file. */
    private List<MachineEvent> writeEvents(int count) {
        List<MachineEvent> events = new ArrayList<>();
        try (EventsFile file = EventsFile.in(state)) {
            for (int i = 0; i < count; i++) {
                MachineEvent e = transition(i % 2 == 0 ? "alpha" : "beta", i);
                events.add(e);
                file.publish(e);
            }
        }
        return events;
    }

    private static String line(int second, String machine) {
        return String.format("10:00:%02d node1 %s transitioned via event on: off => on", second, machine);
    }

    @Test
    void showsTheTenMostRecentEventsOldestFirst() {
        writeEvents(12);
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> expected = new ArrayList<>();
        for (int i = 2; i < 12; i++) {
            expected.add(line(i, i % 2 == 0 ? "alpha" : "beta"));
        }
        assertThat(r.out()).isEqualTo(String.join("\n", expected) + "\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void linesAndMachineSelect() {
        writeEvents(12);
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString(), "-n", "3", "--machine",
                "beta");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(line(7, "beta") + "\n" + line(9, "beta") + "\n" + line(11, "beta") + "\n");
        assertThat(agent.tend("machine", "events", "--state", state.toString(), "-n", "0").out()).isEmpty();
        assertThat(agent.tend("machine", "events", "--state", state.toString(), "--machine", "nobody").out())
                .isEmpty();
    }

    @Test
    void jsonPrintsTheCloudEventLinesAsWritten() throws Exception {
        writeEvents(5);
        List<String> written = Files.readAllLines(state.resolve("events.jsonl"));
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString(), "--json", "-n", "2");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(written.get(3) + "\n" + written.get(4) + "\n");
        assertThat(JSON.readTree(r.out().lines().findFirst().orElseThrow()).get("type").asText())
                .isEqualTo(TransitionEvent.TYPE);
    }

    @Test
    void watcherEventsShowTheirOneLineForm() {
        try (EventsFile file = EventsFile.in(state)) {
            file.publish(new WatcherStateEvent("node1", "alpha", "id", "1.0.0", T0, "exec", "check",
                    Map.of("previous_outcome", "success")));
        }
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString());
        assertThat(r.out()).startsWith("10:00:00 node1 alpha exec watcher check ").contains("previous_outcome");
    }

    @Test
    void localTimeFollowsTz() {
        writeEvents(1);
        agent.env.put("TZ", "Europe/Paris");
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString());
        assertThat(r.out()).startsWith("11:00:00 node1 alpha");
    }

    @Test
    void olderEventsComeFromTheRotatedFiles() throws Exception {
        Files.createDirectories(state);
        Files.write(state.resolve("events.jsonl.2"), List.of(encode(transition("alpha", 1))));
        Files.write(state.resolve("events.jsonl.1"), List.of(encode(transition("alpha", 2)),
                encode(transition("alpha", 3))));
        Files.write(state.resolve("events.jsonl"), List.of(encode(transition("alpha", 4))));
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString(), "-n", "3");
        assertThat(r.out()).isEqualTo(line(2, "alpha") + "\n" + line(3, "alpha") + "\n" + line(4, "alpha") + "\n");
        r = agent.tend("machine", "events", "--state", state.toString());
        assertThat(r.out().lines()).hasSize(4);
    }

    @Test
    void longFilesAreReadFromTheEnd() throws Exception {
        writeEvents(1200);
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString(), "-n", "2");
        assertThat(r.out().lines()).hasSize(2);
        MachineEvent last = transition("beta", 1199);
        assertThat(r.out()).endsWith(EventLines.format(last, dev.tend.cli.output.TimeFormat.from(Map.of("TZ", "UTC")))
                + "\n");
        r = agent.tend("machine", "events", "--state", state.toString(), "--machine", "alpha", "-n", "5000");
        List<String> all = r.out().lines().toList();
        assertThat(all).hasSize(600);
        assertThat(all.get(0)).isEqualTo(line(0, "alpha"));
        assertThat(all).allMatch(l -> l.contains(" alpha "));
    }

    @Test
    void linesThatAreNotEventsAreSkippedWithAWarning() throws Exception {
        Files.createDirectories(state);
        Files.write(state.resolve("events.jsonl"), List.of(encode(transition("alpha", 1)), "{\"torn", "",
                encode(transition("beta", 2)), "not json"));
        AgentFixture.Result r = agent.tend("machine", "events", "--state", state.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(line(1, "alpha") + "\n" + line(2, "beta") + "\n");
        assertThat(r.err()).isEqualTo("tend: skipped 2 lines that are not a machine event\n");
    }

    @Test
    void noEventsFileIsNotFound() {
        Path none = tmp.resolve("nostate");
        AgentFixture.Result r = agent.tend("machine", "events", "--state", none.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("tend: no events file at " + none.resolve("events.jsonl")
                + " (no agent has run with this state directory yet; --state names another)\n");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertUsage(agent.tend("machine", "events", "--follow", "-n", "3"),
                "tend: --lines shows past events and cannot be used with --follow\n");
        assertUsage(agent.tend("machine", "events", "--socket", agent.socket.toString()),
                "tend: --socket is only used with --follow: past events are read from the events file of the state"
                        + " directory (--state)\n");
        assertUsage(agent.tend("machine", "events", "--follow", "--state", state.toString()),
                "tend: --state is only used without --follow: --follow asks the agent on its control socket"
                        + " (--socket)\n");
        assertUsage(agent.tend("machine", "events", "-n", "-1"), "tend: --lines must be 0 or more\n");
        assertUsage(agent.tend("machine", "events", "--machine", ""), "tend: --machine needs a machine name\n");
        assertThat(agent.tend("machine", "events", "-n", "x").code()).isEqualTo(2);
    }

    @Test
    void followPrintsEventsAsTheyHappenUntilTheAgentStops() throws Exception {
        AgentFixture.Running follow = agent.background("machine", "events", "--follow", "--socket",
                agent.socket.toString());
        awaitSubscribers(1);
        agent.get("alpha").transition("on");
        agent.get("beta").transition("break");
        follow.awaitLines(2);
        agent.stopServer();
        AgentFixture.Result r = follow.await();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d node1 alpha transitioned via event on: off => on");
        assertThat(lines.get(1)).matches("\\d\\d:\\d\\d:\\d\\d node1 beta transitioned via event break: off => broken");
    }

    @Test
    void followOneMachineAsJson() throws Exception {
        AgentFixture.Running follow = agent.background("machine", "events", "-f", "--json", "--machine", "beta",
                "--socket", agent.socket.toString());
        awaitSubscribers(1);
        agent.get("alpha").transition("on");
        agent.get("beta").transition("on");
        agent.get("beta").transition("off");
        follow.awaitLines(2);
        agent.stopServer();
        AgentFixture.Result r = follow.await();
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2); // alpha's event was not sent
        MachineEvent e = CloudEventsJson.decode(lines.get(0));
        assertThat(e.machine()).isEqualTo("beta");
        assertThat(((TransitionEvent) e).toState()).isEqualTo("on");
        assertThat(((TransitionEvent) CloudEventsJson.decode(lines.get(1))).toState()).isEqualTo("off");
    }

    @Test
    void followOfAnUnknownMachineIsNotFound() {
        AgentFixture.Result r = agent.tend("machine", "events", "-f", "--machine", "gamma", "--socket",
                agent.socket.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("tend: unknown machine \"gamma\"\n");
    }

    @Test
    void followWithNoAgentIsAFailure() {
        Path socket = tmp.resolve("none.sock");
        AgentFixture.Result r = agent.tend("machine", "events", "-f", "--socket", socket.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("tend: no agent is listening on " + socket + " (is tend agent running?)\n");
    }

    private static String encode(MachineEvent e) {
        return CloudEventsJson.encodeToString(e);
    }

    private void awaitSubscribers(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (agent.subscriberCount() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no events subscriber within 20 s");
            }
            AgentFixture.sleep(10);
        }
    }

    private static void assertUsage(AgentFixture.Result r, String err) {
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(err);
    }
}
