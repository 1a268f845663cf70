package dev.tend.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.tend.cli.e2e.Tend.assertOk;
import static dev.tend.cli.e2e.Tend.assertOneLineError;
import static dev.tend.cli.e2e.Tend.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tend governor run}, end to end through {@code bin/tend}: concurrent runs never hold more slots than the
 * capacity (measured from the times the commands themselves write), a holder killed with SIGKILL frees its slot after
 * the hold time, SIGTERM gives the slot back at once, and the command's exit status passes through.
 * {@link NatsGovernorIT} runs the same on a nats-server.
 */
class GovernorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Tend tend;

    /** The store the commands run on. */
    Tend.Backend backend() {
        return Tend.Backend.EMBEDDED;
    }

    @BeforeEach
    void start() throws Exception {
        tend = Tend.on(backend(), tmp);
    }

    @AfterEach
    void stop() {
        tend.close();
    }

    /** One command's hold of a slot, as it wrote it: nanoseconds since the epoch when it began and ended. */
    private record Span(long start, long end) {
    }

    @Test
    void tenConcurrentRunsOfATwoSlotGovernorNeverOverlapMoreThanTwo() throws Exception {
        assertOk(tend.run("governor", "add", "pool", "2", "1h"));
        Path marks = Files.createDirectories(tmp.resolve("marks"));
        List<Tend.Background> runs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String script = "date +%s%N > " + marks.resolve("start-" + i) + "; sleep 0.5; date +%s%N > "
                    + marks.resolve("end-" + i);
            runs.add(tend.start("governor", "run", "pool", "--max-wait", "5m", "--", "sh", "-c", script));
        }
        for (Tend.Background run : runs) {
            Tend.Result r = run.await();
            assertThat(r.code()).as(r.describe()).isZero();
        }

        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            spans.add(new Span(Long.parseLong(Files.readString(marks.resolve("start-" + i)).strip()),
                    Long.parseLong(Files.readString(marks.resolve("end-" + i)).strip())));
        }
        assertThat(mostAtOnce(spans)).as("the most commands running at once: %s", spans).isBetween(1, 2);
        assertThat(view("pool").get("active").asInt()).as("every slot released").isZero();
    }

    /** The most spans open at one instant: starts and ends in time order, an end before a start at the same time. */
    private static int mostAtOnce(List<Span> spans) {
        List<long[]> events = new ArrayList<>();
        for (Span s : spans) {
            events.add(new long[] {s.start(), 1});
            events.add(new long[] {s.end(), -1});
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int open = 0;
        int most = 0;
        for (long[] e : events) {
            open += (int) e[1];
            most = Math.max(most, open);
        }
        return most;
    }

    @Test
    void aHolderKilledWithSigkillFreesItsSlotAfterTheHoldTime() throws Exception {
        Duration hold = Duration.ofSeconds(3);
        assertOk(tend.run("governor", "add", "solo", "1", "3s"));
        Tend.Background holder = tend.start("governor", "run", "solo", "--", "sleep", "600");
        JsonNode claim = awaitHeld("solo", holder);
        Instant since = Instant.parse(claim.get("since").asText());
        List<ProcessHandle> children = holder.process.descendants().toList();

        holder.process.destroyForcibly(); // SIGKILL: no hook runs, the claim stays
        holder.process.waitFor();
        children.forEach(ProcessHandle::destroyForcibly); // the orphaned sleep

        assertThat(view("solo").get("active").asInt()).as("the dead holder's claim").isEqualTo(1);
        Path mark = tmp.resolve("next-start");
        Tend.Result next = tend.run("governor", "run", "solo", "--max-wait", "1m", "--", "sh", "-c",
                "date +%s%N > " + mark);
        assertOk(next);
        long ranAt = Long.parseLong(Files.readString(mark).strip());
        Instant ran = Instant.ofEpochSecond(0, ranAt);
        assertThat(ran).as("the next holder ran after the killed one's hold time").isAfterOrEqualTo(since.plus(hold));
        assertThat(view("solo").get("active").asInt()).isZero();
    }

    @Test
    void sigtermEndsTheCommandAndReleasesTheSlot() throws Exception {
        assertOk(tend.run("governor", "add", "solo", "1", "1h"));
        Tend.Background holder = tend.start("governor", "run", "solo", "--", "sleep", "600");
        awaitHeld("solo", holder);
        List<ProcessHandle> children = holder.process.descendants().toList();
        assertThat(children).as("the command").isNotEmpty();

        holder.process.destroy(); // SIGTERM

        Tend.Result r = holder.await();
        assertThat(r.code()).as(r.describe()).isEqualTo(143);
        for (ProcessHandle child : children) {
            child.onExit().get(Tend.PROCESS_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(view("solo").get("active").asInt()).isZero();
    }

    @Test
    void theCommandsExitStatusPassesThroughAndAFullGovernorTimesOut() throws Exception {
        assertOk(tend.run("governor", "add", "solo", "1", "1h"));

        Tend.Result seven = tend.run("governor", "run", "solo", "--", "sh", "-c", "echo out; exit 7");
        assertThat(seven.code()).as(seven.describe()).isEqualTo(7);
        assertThat(seven.out()).isEqualTo("out\n");

        Tend.Background holder = tend.start("governor", "run", "solo", "--", "sleep", "600");
        awaitHeld("solo", holder);
        assertOneLineError(tend.run("governor", "run", "solo", "--max-wait", "1s", "--", "true"), 1);
        assertOneLineError(tend.run("governor", "run", "solo", "--max-wait", "0", "--", "true"), 1);
        assertOneLineError(tend.run("governor", "run", "nope", "--", "true"), 1);
        holder.process.destroy();
        holder.await();
        assertOneLineError(tend.run("governor", "run", "solo", "--", "/no/such/command"), 127);
        assertThat(view("solo").get("active").asInt()).as("released after the failed start").isZero();
    }

    /** Waits until governor {@code name} has a claim of {@code holder}'s process; returns it. */
    private JsonNode awaitHeld(String name, Tend.Background holder) throws Exception {
        String pid = "pid " + holder.process.pid() + ":";
        JsonNode[] found = new JsonNode[1];
        eventually("a claim of " + pid, () -> {
            if (!holder.process.isAlive()) {
                throw new AssertionError("the holder ended: " + holder.process.exitValue());
            }
            try {
                for (JsonNode slot : view(name).get("slots")) {
                    if (slot.get("holder").asText().contains(pid)) {
                        found[0] = slot;
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        return found[0];
    }

    private JsonNode view(String name) throws Exception {
        Tend.Result r = tend.run("governor", "view", name, "--json");
        assertOk(r);
        return JSON.readTree(r.out());
    }
}
