package dev.tend.cli.output;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FormatTest {

    private static final Instant T = Instant.parse("2021-07-13T10:38:10.123456789Z");

    @Test
    void timesHonourTz() {
        TimeFormat utc = TimeFormat.from(Map.of("TZ", "UTC"));
        assertThat(utc.table(T)).isEqualTo("13 Jul 21 10:38 UTC");
        assertThat(utc.watch(T)).isEqualTo("2021-07-13 10:38:10");
        TimeFormat paris = TimeFormat.from(Map.of("TZ", ":Europe/Paris"));
        assertThat(paris.table(T)).isEqualTo("13 Jul 21 12:38 CEST");
        assertThat(paris.watch(T)).isEqualTo("2021-07-13 12:38:10");
        assertThat(TimeFormat.from(Map.of("TZ", "Nowhere/Nothing")).table(T)).isNotEmpty();
        assertThat(TimeFormat.rfc3339(T)).isEqualTo("2021-07-13T10:38:10.123456789Z");
        assertThat(TimeFormat.rfc3339(Instant.parse("2021-07-13T10:38:10Z"))).isEqualTo("2021-07-13T10:38:10.000000000Z");
    }

    @Test
    void aUtcTableTimeIsWhatTheFormatterWrites() {
        for (TimeFormat utc : List.of(TimeFormat.from(Map.of("TZ", "UTC")), TimeFormat.from(Map.of("TZ", "Etc/UTC")),
                TimeFormat.from(Map.of("TZ", ":Etc/UTC")), new TimeFormat(java.time.ZoneId.of("Etc/UTC")),
                TimeFormat.system(java.util.TimeZone.getTimeZone("Etc/UTC")),
                TimeFormat.system(java.util.TimeZone.getTimeZone("UTC")))) {
            sameAsTheFormatter(utc);
        }
    }

    private static void sameAsTheFormatter(TimeFormat utc) {
        java.util.Random random = new java.util.Random(12);
        List<Instant> times = new java.util.ArrayList<>(List.of(Instant.EPOCH, T, Instant.parse("1999-12-31T23:59:59Z"),
                Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("2024-02-29T09:05:00Z"),
                Instant.parse("9999-12-31T23:59:59.999Z"), Instant.parse("0001-01-01T00:00:00Z")));
        for (int i = 0; i < 2000; i++) {
            times.add(Instant.ofEpochSecond(random.nextLong(0, 253402300799L), random.nextInt(1_000_000_000)));
        }
        for (Instant t : times) {
            assertThat(utc.table(t)).as(t.toString()).isEqualTo(utc.tableByFormatter(t));
        }
    }

    @Test
    void theSystemZoneIsTheDefaultTimeZones() {
        TimeFormat etc = TimeFormat.system(java.util.TimeZone.getTimeZone("Etc/UTC"));
        assertThat(etc.table(T)).isEqualTo("13 Jul 21 10:38 UTC");
        assertThat(etc.watch(T)).isEqualTo("2021-07-13 10:38:10");
        assertThat(etc.table(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("01 Jan 00 00:00 UTC");
        TimeFormat paris = TimeFormat.system(java.util.TimeZone.getTimeZone("Europe/Paris"));
        assertThat(paris.table(T)).isEqualTo("13 Jul 21 12:38 CEST");
        assertThat(paris.watch(T)).isEqualTo("2021-07-13 12:38:10");
        TimeFormat est = TimeFormat.system(java.util.TimeZone.getTimeZone("EST"));
        assertThat(est.table(T)).isEqualTo(new TimeFormat(java.util.TimeZone.getTimeZone("EST").toZoneId()).table(T));
    }

    @Test
    void tablesHaveAsciiBordersAndUpperCaseHeaders() {
        String t = new Table("Seq", "Value").row(1, "é").row(10, null).render();
        assertThat(t).isEqualTo(""
                + "+-----+-------+\n"
                + "| SEQ | VALUE |\n"
                + "+-----+-------+\n"
                + "| 1   | é     |\n"
                + "| 10  |       |\n"
                + "+-----+-------+\n");
    }

    @Test
    void valuesAreTextWhenPrintableElseBase64() {
        assertThat(Values.display("héllo".getBytes(StandardCharsets.UTF_8), false)).isEqualTo("héllo");
        assertThat(Values.display("a\nb".getBytes(StandardCharsets.UTF_8), true)).isEqualTo("a\nb");
        assertThat(Values.display("a\nb".getBytes(StandardCharsets.UTF_8), false)).isEqualTo("YQpi");
        assertThat(Values.display(new byte[] {(byte) 0xc3}, true)).isEqualTo("ww==");
        assertThat(Values.display("\u001b[31m".getBytes(StandardCharsets.UTF_8), true)).isEqualTo("G1szMW0=");
        assertThat(Values.display(new byte[0], false)).isEmpty();
        assertThat(Values.shorten("x".repeat(40))).isEqualTo("x".repeat(40));
        assertThat(Values.shorten("a".repeat(15) + "m".repeat(11) + "z".repeat(15)))
                .isEqualTo("a".repeat(15) + "..." + "z".repeat(15));
    }
}
