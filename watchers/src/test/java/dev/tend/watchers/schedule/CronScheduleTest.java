package dev.tend.watchers.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When schedules fire: cron's day rule, names, descriptors, and daylight saving in a zone that has it. */
class CronScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** The next {@code n} times after {@code from}, as offset date-times in {@code zone}. */
    private static List<String> next(String schedule, ZoneId zone, String from, int n) throws ScheduleException {
        Schedule s = Schedules.parse(schedule, zone);
        List<String> out = new ArrayList<>();
        Instant t = OffsetDateTime.parse(from).toInstant();
        for (int i = 0; i < n; i++) {
            t = s.nextAfter(t).orElseThrow();
            out.add(OffsetDateTime.ofInstant(t, zone).toString());
        }
        return out;
    }

    private static List<String> nextUtc(String schedule, String from, int n) throws ScheduleException {
        return next(schedule, ZoneOffset.UTC, from, n).stream().map(s -> s.replace("Z", "")).toList();
    }

    @Test
    void whenBothDayFieldsAreRestrictedEitherMayMatch() throws Exception {
        // November 2024: the 13th is a Wednesday; the Fridays are the 1st, 8th, 15th, 22nd and 29th.
        assertThat(nextUtc("0 0 13 * 5", "2024-11-01T00:00Z", 5)).containsExactly(
                "2024-11-08T00:00", "2024-11-13T00:00", "2024-11-15T00:00", "2024-11-22T00:00", "2024-11-29T00:00");
        assertThat(nextUtc("0 0 13 * *", "2024-11-01T00:00Z", 2)).containsExactly(
                "2024-11-13T00:00", "2024-12-13T00:00");
        assertThat(nextUtc("0 0 * * 5", "2024-11-01T00:00Z", 2)).containsExactly(
                "2024-11-08T00:00", "2024-11-15T00:00");
        assertThat(nextUtc("0 0 1-31/10 * 5", "2024-11-01T00:00Z", 4)).as("a stepped range is restricted")
                .containsExactly("2024-11-08T00:00", "2024-11-11T00:00", "2024-11-15T00:00", "2024-11-21T00:00");
    }

    @Test
    void aDayFieldStartingWithAStarIsNotRestrictedSoBothMustMatch() throws Exception {
        // */10 is the 1st, 11th, 21st and 31st: only those that are Fridays (crontab(5); cron-utils alone says "or").
        assertThat(nextUtc("0 0 */10 * 5", "2024-01-01T00:00Z", 3)).containsExactly(
                "2024-03-01T00:00", "2024-05-31T00:00", "2024-06-21T00:00");
        // The 13th when it is a Sunday, Tuesday, Thursday or Saturday.
        assertThat(nextUtc("0 0 13 * */2", "2024-11-01T00:00Z", 3)).containsExactly(
                "2025-02-13T00:00", "2025-03-13T00:00", "2025-04-13T00:00");
    }

    @Test
    void namesQuestionMarksAndSundayAsSeven() throws Exception {
        assertThat(nextUtc("0 8 * * SAT,SUN", "2024-11-01T00:00Z", 3)).containsExactly(
                "2024-11-02T08:00", "2024-11-03T08:00", "2024-11-09T08:00");
        assertThat(nextUtc("0 8 * * sun-sat", "2024-11-01T00:00Z", 2)).as("SUN-SAT is every day")
                .containsExactly("2024-11-01T08:00", "2024-11-02T08:00");
        assertThat(nextUtc("0 0 * * 7", "2024-11-01T00:00Z", 1)).containsExactly("2024-11-03T00:00");
        assertThat(nextUtc("0 0 1 feb,Mar ?", "2024-11-01T00:00Z", 2)).containsExactly(
                "2025-02-01T00:00", "2025-03-01T00:00");
        assertThat(nextUtc("*/20 9-10 * * mon-fri", "2024-11-01T09:30Z", 4)).containsExactly(
                "2024-11-01T09:40", "2024-11-01T10:00", "2024-11-01T10:20", "2024-11-01T10:40");
    }

    @Test
    void descriptors() throws Exception {
        String from = "2024-11-13T10:30Z"; // a Wednesday
        assertThat(nextUtc("@hourly", from, 1)).containsExactly("2024-11-13T11:00");
        assertThat(nextUtc("@daily", from, 1)).containsExactly("2024-11-14T00:00");
        assertThat(nextUtc("@midnight", from, 1)).containsExactly("2024-11-14T00:00");
        assertThat(nextUtc("@weekly", from, 1)).containsExactly("2024-11-17T00:00");
        assertThat(nextUtc("@monthly", from, 1)).containsExactly("2024-12-01T00:00");
        assertThat(nextUtc("@yearly", from, 1)).containsExactly("2025-01-01T00:00");
        assertThat(nextUtc("@ANNUALLY", from, 1)).containsExactly("2025-01-01T00:00");
        assertThat(nextUtc("@every 1h30m", from, 2)).as("from the time given, not aligned")
                .containsExactly("2024-11-13T12:00", "2024-11-13T13:30");
    }

    @Test
    void theZoneDecidesWhatTheWallClockSays() throws Exception {
        assertThat(next("0 8 * * *", BERLIN, "2024-01-10T12:00Z", 1)).containsExactly("2024-01-11T08:00+01:00");
        assertThat(next("0 8 * * *", BERLIN, "2024-07-10T12:00Z", 1)).containsExactly("2024-07-11T08:00+02:00");
        assertThat(next("0 8 * * *", ZoneId.of("America/New_York"), "2024-01-10T12:00Z", 1))
                .containsExactly("2024-01-10T08:00-05:00");
    }

    @Test
    void aFixedTimeTheClocksSkipFiresOnceWhenTheyJump() throws Exception {
        // 2024-03-31 in Berlin: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that day.
        assertThat(next("30 2 * * *", BERLIN, "2024-03-30T12:00Z", 3)).containsExactly(
                "2024-03-31T03:00+02:00", "2024-04-01T02:30+02:00", "2024-04-02T02:30+02:00");
        // Several skipped times fire once, and a time after the gap still fires.
        assertThat(next("0,15,30,45 2 * * *", BERLIN, "2024-03-31T00:00Z", 2)).containsExactly(
                "2024-03-31T03:00+02:00", "2024-04-01T02:00+02:00");
        assertThat(next("0 2,3 * * *", BERLIN, "2024-03-31T00:00Z", 2)).as("03:00 is the jump: one firing")
                .containsExactly("2024-03-31T03:00+02:00", "2024-04-01T02:00+02:00");
    }

    @Test
    void aFixedTimeTheClocksRepeatFiresOnlyTheFirstTime() throws Exception {
        // 2024-10-27 in Berlin: 03:00 CEST becomes 02:00 CET; 02:00-02:59 happens twice.
        assertThat(next("30 2 * * *", BERLIN, "2024-10-26T12:00Z", 2)).containsExactly(
                "2024-10-27T02:30+02:00", "2024-10-28T02:30+01:00");
        assertThat(next("15,45 2 * * *", BERLIN, "2024-10-27T00:00Z", 3)).containsExactly(
                "2024-10-27T02:15+02:00", "2024-10-27T02:45+02:00", "2024-10-28T02:15+01:00");
        // Asked from inside the second pass (e.g. the agent started then): not again that day.
        assertThat(next("30 2 * * *", BERLIN, "2024-10-27T02:10+01:00", 1)).containsExactly("2024-10-28T02:30+01:00");
        assertThat(next("30 2 * * *", BERLIN, "2024-10-27T02:45+02:00", 1)).containsExactly("2024-10-28T02:30+01:00");
    }

    @Test
    void aWildcardScheduleFollowsTheClockThroughBothChanges() throws Exception {
        assertThat(next("0 * * * *", BERLIN, "2024-03-31T00:30+01:00", 3)).as("no 02:00 that day").containsExactly(
                "2024-03-31T01:00+01:00", "2024-03-31T03:00+02:00", "2024-03-31T04:00+02:00");
        assertThat(next("0 * * * *", BERLIN, "2024-10-27T01:30+02:00", 4)).as("02:00 twice").containsExactly(
                "2024-10-27T02:00+02:00", "2024-10-27T02:00+01:00", "2024-10-27T03:00+01:00", "2024-10-27T04:00+01:00");
        assertThat(next("*/30 2 * * *", BERLIN, "2024-10-27T02:45+02:00", 3)).as("asked from the first pass")
                .containsExactly("2024-10-27T02:00+01:00", "2024-10-27T02:30+01:00", "2024-10-28T02:00+01:00");
    }

    @Test
    void everyStaysEvenThroughDaylightSaving() throws Exception {
        assertThat(next("@every 1h", BERLIN, "2024-03-31T00:30+01:00", 3)).containsExactly(
                "2024-03-31T01:30+01:00", "2024-03-31T03:30+02:00", "2024-03-31T04:30+02:00");
    }

    @Test
    void aDateThatNeverComesHasNoNextTimeAndFebruaryTheTwentyNinthComes() throws Exception {
        assertThat(Schedules.parse("0 0 30 2 *", ZoneOffset.UTC).nextAfter(Instant.EPOCH)).isEmpty();
        assertThat(nextUtc("0 0 29 2 *", "2025-01-01T00:00Z", 1)).containsExactly("2028-02-29T00:00");
    }

    @Test
    void wallClockMatchingIgnoresSecondsOfTheStartingPoint() throws Exception {
        WallClockCron cron = WallClockCron.parse("5 * * * *");
        assertThat(cron.nextAfter(LocalDateTime.parse("2024-01-01T10:05:00.5"))).contains(
                LocalDateTime.parse("2024-01-01T11:05"));
        assertThat(cron.nextAfter(LocalDateTime.parse("2024-01-01T10:04:59.9"))).contains(
                LocalDateTime.parse("2024-01-01T10:05"));
        assertThat(cron.isWildcard()).isTrue();
        assertThat(WallClockCron.parse("5 3 * * *").isWildcard()).isFalse();
        assertThat(WallClockCron.parse("5 */3 * * *").isWildcard()).isTrue();
    }
}
