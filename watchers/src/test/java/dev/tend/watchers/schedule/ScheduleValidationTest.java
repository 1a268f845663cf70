package dev.tend.watchers.schedule;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.MachineLoadException;
import dev.tend.machine.Problem;
import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Schedule properties through the real loader: what loads, and each bad property's message with its line. */
class ScheduleValidationTest {

    @TempDir
    Path dir;

    /** Properties start on line 11. */
    private static final String MACHINE = """
            name: sched
            version: "1.0.0"
            initial_state: waiting
            transitions:
              - {name: open, from: [waiting], destination: opened}
            watchers:
              - name: window
                type: schedule
                success_transition: open
                properties:
            """;

    private MachineDefinition load(String properties) throws Exception {
        Files.writeString(dir.resolve("machine.yaml"), MACHINE + properties.indent(6));
        return new MachineLoader(WatcherRegistry.of(List.of(new ScheduleWatcherFactory()))).load(dir);
    }

    private List<String> problems(String properties) {
        MachineLoadException e = catchThrowableOfType(MachineLoadException.class, () -> load(properties));
        assertThat(e).as("should not load").isNotNull();
        return e.problems().stream().map(Problem::toString).map(s -> s.substring(dir.toString().length() + 1))
                .toList();
    }

    @Test
    void aGoodScheduleLoadsWithItsDefaults() throws Exception {
        var w = load("""
                schedules: ["0 8 * * MON-FRI", "@every 2h", "@daily"]
                duration: 1h
                timezone: Europe/Berlin
                """).watchers().get(0);
        assertThat(w.properties().stringList("schedules")).containsExactly("0 8 * * MON-FRI", "@every 2h", "@daily");
        assertThat(w.properties().duration("duration")).isEqualTo(Duration.ofHours(1));
        assertThat(w.properties().duration("start_splay")).isZero();
        assertThat(w.properties().bool("skip_trigger_on_reenter")).isFalse();
        assertThat(schemaAndSemanticProblems()).isEmpty();
    }

    @Test
    void aSingleScheduleMayBeWrittenWithoutAList() throws Exception {
        var w = load("""
                schedules: "*/5 * * * *"
                duration: 1m
                start_splay: 30s
                skip_trigger_on_reenter: "true"
                """).watchers().get(0);
        assertThat(w.properties().stringList("schedules")).containsExactly("*/5 * * * *");
        assertThat(w.properties().bool("skip_trigger_on_reenter")).isTrue();
        assertThat(schemaAndSemanticProblems()).isEmpty();
    }

    /** What {@code tend machine validate} reports for the file last loaded (the JSON Schema included). */
    private List<Problem> schemaAndSemanticProblems() {
        var v = new MachineLoader(WatcherRegistry.of(List.of(new ScheduleWatcherFactory()))).validate(dir);
        List<Problem> all = new java.util.ArrayList<>(v.errors());
        all.addAll(v.warnings());
        return all;
    }

    @Test
    void aBadCronFieldIsNamed() {
        assertThat(problems("""
                schedules: ["61 * * * *", "0 25 * * *", "0 0 0 * *", "0 0 * 13 *", "0 0 * * 8", "0 0 * * funday"]
                duration: 1m
                """)).containsExactly(
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"61 * * * *\": minute field "
                        + "\"61\": value 61 not in range [0, 59]",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"0 25 * * *\": hour field "
                        + "\"25\": value 25 not in range [0, 23]",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"0 0 0 * *\": day-of-month "
                        + "field \"0\": value 0 not in range [1, 31]",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"0 0 * 13 *\": month field "
                        + "\"13\": value 13 not in range [1, 12]",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"0 0 * * 8\": day-of-week "
                        + "field \"8\": value 8 not in range [0, 7]",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"0 0 * * funday\": "
                        + "day-of-week field \"funday\": unexpected characters (use numbers, *, ranges a-b, lists a,b, "
                        + "steps /n, or three-letter names)");
    }

    @Test
    void theNumberOfFieldsRangesAndDescriptorsAreChecked() {
        assertThat(problems("""
                schedules: ["* * * *", "0 0 * * * *", "5-1 * * * *", "@dayly", "@daily 3", "@every", "@every 10",
                            "@every 500ms", "0 0 30 2 *", ""]
                duration: 1m
                """)).containsExactly(
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"* * * *\": has 4 fields; a "
                        + "cron schedule has 5: minute hour day-of-month month day-of-week",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"0 0 * * * *\": has 6 fields; "
                        + "a cron schedule has 5: minute hour day-of-month month day-of-week",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"5-1 * * * *\": minute field "
                        + "\"5-1\": the range 5-1 goes backwards",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"@dayly\": unknown descriptor "
                        + "@dayly; use a cron expression or @hourly, @daily (@midnight), @weekly, @monthly, @yearly "
                        + "(@annually) or @every DURATION",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"@daily 3\": @daily takes no "
                        + "argument",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"@every\": @every needs a "
                        + "duration, e.g. @every 1h30m",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"@every 10\": invalid duration "
                        + "\"10\": add a unit, e.g. 10s",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"@every 500ms\": the period of "
                        + "@every must be at least 1s, not 500ms",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"0 0 30 2 *\" never fires: no "
                        + "date matches it",
                "machine.yaml:11: watcher \"window\" property \"schedules\": schedule \"\": is empty");
    }

    @Test
    void anUnknownTimeZoneIsAnError() {
        assertThat(problems("""
                schedules: ["@daily"]
                duration: 1m
                timezone: Europe/Berln
                """)).containsExactly("machine.yaml:13: watcher \"window\" property \"timezone\": unknown time zone "
                + "\"Europe/Berln\": use an IANA name such as Europe/Berlin or UTC");
    }

    @Test
    void durationIsRequiredAndPositive() {
        assertThat(problems("""
                schedules: ["@daily"]
                """)).containsExactly("machine.yaml:7: watcher \"window\": property \"duration\" is required");
        assertThat(problems("""
                schedules: ["@daily"]
                duration: 0s
                """)).containsExactly("machine.yaml:12: watcher \"window\" property \"duration\": must be longer "
                + "than 0s");
    }

    @Test
    void theSplayMayBeAtMostHalfTheDuration() throws Exception {
        load("""
                schedules: ["@daily"]
                duration: 10m
                start_splay: 5m
                """);
        assertThat(problems("""
                schedules: ["@daily"]
                duration: 10m
                start_splay: 5m1s
                """)).containsExactly("machine.yaml:13: watcher \"window\" property \"start_splay\": must be at most "
                + "half of duration (5m0s), not 5m1s");
    }

    @Test
    void schedulesAreRequiredAndNotEmpty() {
        assertThat(problems("""
                duration: 1m
                """)).containsExactly("machine.yaml:7: watcher \"window\": property \"schedules\" is required");
        assertThat(problems("""
                schedules: []
                duration: 1m
                """)).containsExactly("machine.yaml:11: watcher \"window\" property \"schedules\": needs at least "
                + "one schedule");
    }
}
