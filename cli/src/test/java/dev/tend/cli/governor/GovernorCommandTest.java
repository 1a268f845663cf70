package dev.tend.cli.governor;

import dev.tend.cli.Cli;
import dev.tend.governor.Governor;
import dev.tend.governor.GovernorConfig;
import dev.tend.governor.Governors;
import dev.tend.kv.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tend governor add|ls|view|evict|rm} in-process on a temporary embedded store; {@code run} is GovernorIT's. */
class GovernorCommandTest {

    /** What one run gave. */
    record Result(int code, String out, String err) {
    }

    @TempDir
    Path dir;

    private final List<String> questions = new ArrayList<>();
    private Boolean answer;

    private Result tend(String... args) {
        List<String> all = new ArrayList<>(List.of("governor", "--store", dir.toUri().toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new ByteArrayInputStream(new byte[0]), out, err,
                Map.of("NO_COLOR", "1", "TZ", "UTC", "HOME", dir.resolve("home").toString()), q -> {
                    questions.add(q);
                    return answer;
                }).execute(all.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private KvStore store() {
        return KvStore.open(dir.toUri().toString());
    }

    @Test
    void addCreatesAGovernorAndPrintsItsConfiguration() {
        Result r = tend("add", "cron", "10", "1m");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Configuration:

                  Capacity: 10
                   Expires: 1m0s
                  Replicas: 1

                """);
        try (KvStore store = store()) {
            assertThat(Governors.builder(store).build().governor("cron").config())
                    .isEqualTo(new GovernorConfig(10, Duration.ofMinutes(1)));
        }
    }

    @Test
    void addWithoutAHoldTimeUsesAnHour() {
        assertThat(tend("add", "cron", "2").out()).contains("   Expires: 1h0m0s\n");
        assertThat(tend("add", "other", "2", "--expire", "30s").out()).contains("   Expires: 30s\n");
    }

    @Test
    void addingAnExistingGovernorAsksBeforeChangingIt() {
        tend("add", "cron", "2", "1m");

        answer = false;
        Result no = tend("add", "cron", "3");

        assertThat(questions).containsExactly("Update configuration for cron");
        assertThat(no.out()).startsWith("""
                Existing configuration:

                  Capacity: 2 desired: 3
                   Expires: 1m0s desired: 1m0s

                Skipping
                Configuration:

                  Capacity: 2
                """);
        answer = true;
        assertThat(tend("add", "cron", "3").out()).contains("Configuration:\n\n  Capacity: 3\n");
        answer = null;
        Result unasked = tend("add", "cron", "4");
        assertThat(unasked.code()).isEqualTo(2);
        assertThat(unasked.err()).isEqualTo("tend: not confirmed: cannot ask whether to update governor cron without a"
                + " terminal; add -f to do it without asking\n");
        assertThat(tend("add", "cron", "4", "-f").out()).contains("  Capacity: 4\n");
        questions.clear();
        assertThat(tend("add", "cron", "4").code()).as("the same settings").isZero();
        assertThat(questions).isEmpty();
    }

    @Test
    void lsListsTheGovernors() {
        assertThat(tend("ls").out()).isEqualTo("No governors found\n");
        tend("add", "cron", "2", "1m");
        tend("add", "backup", "1", "1h");
        try (KvStore store = store()) {
            Governors.builder(store).build().governor("cron").tryEnter("someone").orElseThrow();
        }

        assertThat(tend("ls").out()).isEqualTo("""
                +--------+----------+---------+--------+
                | NAME   | CAPACITY | EXPIRES | ACTIVE |
                +--------+----------+---------+--------+
                | backup | 1        | 1h0m0s  | 0      |
                | cron   | 2        | 1m0s    | 1      |
                +--------+----------+---------+--------+
                """);
        assertThat(tend("ls", "--json").out()).isEqualTo("[\n  \"backup\",\n  \"cron\"\n]\n");
    }

    @Test
    void viewShowsWhoHoldsWhichSlotSinceWhen() {
        tend("add", "cron", "3", "1h");
        try (KvStore store = store()) {
            Governor cron = Governors.builder(store).build().governor("cron");
            cron.tryEnter("host-a pid 1: backup.sh").orElseThrow();
            cron.tryEnter("host-b pid 2: backup.sh").orElseThrow().release();
            cron.tryEnter("host-c pid 3: backup.sh").orElseThrow();
        }

        Result text = tend("view", "cron");
        Result json = tend("view", "cron", "--json");

        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("""
                Configuration for Governor cron

                       Capacity: 3
                        Expires: 1h0m0s
                       Replicas: 1
                  Active Leases: 2

                +------+-------------------------+---------------------+""");
        assertThat(text.out()).containsPattern("\\| 1    \\| host-a pid 1: backup.sh \\| \\d\\d \\w{3} \\d\\d \\d\\d:\\d\\d UTC \\|")
                .containsPattern("\\| 2    \\| host-c pid 3: backup.sh \\|");
        assertThat(json.out()).contains("\"governor\": \"cron\"", "\"capacity\": 3", "\"expire\": \"1h0m0s\"",
                        "\"active\": 2", "\"slot\": 2", "\"holder\": \"host-c pid 3: backup.sh\"", "\"expired\": false")
                .containsPattern("\"since\": \"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\"");
    }

    @Test
    void evictAsksThenFreesTheSlot() {
        tend("add", "cron", "1", "1h");
        try (KvStore store = store()) {
            Governors.builder(store).build().governor("cron").tryEnter("stuck").orElseThrow();
        }

        answer = true;
        Result r = tend("evict", "cron", "1");

        assertThat(questions).containsExactly("Evict slot 1 of cron");
        assertThat(r.out()).isEqualTo("Evicted \"stuck\" from slot 1\n");
        assertThat(tend("evict", "cron", "1", "-f").out()).isEqualTo("Slot 1 of cron is not held\n");
    }

    @Test
    void rmAsksThenRemovesTheGovernor() {
        tend("add", "cron", "1", "1h");

        answer = false;
        assertThat(tend("rm", "cron").out()).isEqualTo("Skipping\n");
        assertThat(questions).containsExactly("Really remove governor cron with 0 active leases");
        assertThat(tend("rm", "cron", "--force").code()).isZero();
        assertThat(tend("ls").out()).isEqualTo("No governors found\n");
    }

    @Test
    void badInputIsAOneLineError() {
        assertError(tend("view", "nope"), 1, "unknown governor nope");
        assertError(tend("rm", "nope", "-f"), 1, "unknown governor nope");
        assertError(tend("add", "a.b", "1"), 2, "invalid governor name \"a.b\": use only A-Z, a-z, 0-9, '-' and '_',"
                + " at most 243 characters");
        assertError(tend("add", "cron", "0"), 2, "a governor's capacity must be from 1 to 10000, not 0");
        assertError(tend("add", "cron", "two"), 2, "invalid value for positional parameter at index 1 (CAPACITY):"
                + " 'two' is not an int");
        assertError(tend("add", "cron", "1", "soon"), 2, "invalid value for positional parameter at index 2 (EXPIRE):"
                + " invalid duration \"soon\": expected a number before \"soon\"");
        assertError(tend("add", "cron", "1", "1m", "--expire", "2m"), 2,
                "the expire is given twice: as an argument and as --expire");
        tend("add", "cron", "1", "1h");
        assertError(tend("evict", "cron", "0", "-f"), 2, "a slot number is 1 or more, not 0");
        assertError(tend("run", "cron", "--interval", "10ms", "--", "true"), 2,
                "--interval must be at least 100ms, not 10ms");
        assertError(tend("run", "cron"), 2, "missing required parameter: 'COMMAND'");
    }

    private static void assertError(Result r, int code, String message) {
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        assertThat(r.err()).as(r.toString()).isEqualTo("tend: " + message + "\n");
        assertThat(r.out()).as(r.toString()).isEmpty();
    }
}
