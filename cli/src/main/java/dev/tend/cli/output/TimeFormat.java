package dev.tend.cli.output;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;

/** The CLI's time formats, in local time (honouring {@code TZ}), and RFC 3339 UTC for JSON. */
public final class TimeFormat {
    /** The formatters, made on first use (a UTC table time needs none). */
    private static final class Formats {
        static final DateTimeFormatter TABLE = DateTimeFormatter.ofPattern("dd MMM yy HH:mm z", Locale.ENGLISH);
        static final DateTimeFormatter WATCH = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);
        static final DateTimeFormatter RFC3339 = DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    }

    /**
     * The zone ids whose table time is written without the formatter: the formatter names each of them {@code UTC}
     * ({@code FormatTest} checks that both write the same).
     */
    private static final Set<String> UTC_IDS = Set.of("UTC", "Etc/UTC");

    private final String zoneId;

    /**
     * The zone; for a time format of one of the {@link #UTC_IDS} made by {@link #from}, null until a formatter needs
     * it: making the zone {@code Etc/UTC} loads the JDK's time-zone rules (tens of milliseconds of a short command on
     * a host whose zone it is). Made again by a thread that does not see it made, the same zone.
     */
    private ZoneId zone;

    public TimeFormat(ZoneId zone) {
        this.zoneId = zone.getId();
        this.zone = zone;
    }

    /** The time format of {@code utcId}, one of the {@link #UTC_IDS}, its zone made when first needed. */
    private TimeFormat(String utcId) {
        this.zoneId = utcId;
    }

    /** The zone named by {@code TZ} in the environment (a leading ':' allowed), else the system's. */
    public static TimeFormat from(Map<String, String> env) {
        String tz = env.get("TZ");
        if (tz != null && !tz.isBlank()) {
            String id = tz.startsWith(":") ? tz.substring(1) : tz;
            if (UTC_IDS.contains(id)) {
                return new TimeFormat(id);
            }
            try {
                return new TimeFormat(ZoneId.of(id));
            } catch (DateTimeException e) {
                // An unknown or POSIX-style TZ: keep the system's zone, as the JVM itself does.
            }
        }
        // Asked only when TZ does not name a zone: the system's zone loads the JDK's time-zone database.
        return system(TimeZone.getDefault());
    }

    /**
     * The time format of the system's zone {@code tz}, as {@code new TimeFormat(tz.toZoneId())} (which
     * {@link ZoneId#systemDefault()} is for the default one), without making the zone when its id is one of the
     * {@link #UTC_IDS}.
     */
    static TimeFormat system(TimeZone tz) {
        String id = tz.getID();
        return UTC_IDS.contains(id) ? new TimeFormat(id) : new TimeFormat(tz.toZoneId());
    }

    private ZoneId zone() {
        ZoneId z = zone;
        if (z == null) {
            z = ZoneId.of(zoneId);
            zone = z;
        }
        return z;
    }

    /**
     * {@code 13 Jul 21 10:38 UTC}: tables and headers. In the zones {@code UTC} and {@code Etc/UTC} it is written
     * without the formatter, which loads the JDK's locale data for the month's and the zone's names (the most of a
     * short command's time); {@code FormatTest} checks that both write the same.
     */
    public String table(Instant t) {
        if (UTC_IDS.contains(zoneId)) {
            LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
            if (d.getYear() >= 0 && d.getYear() <= 9999) {
                StringBuilder b = new StringBuilder(20);
                two(b, d.getDayOfMonth()).append(' ').append(MONTHS[d.getMonthValue() - 1]).append(' ');
                two(b, d.getYear() % 100).append(' ');
                two(b, d.getHour()).append(':');
                return two(b, d.getMinute()).append(" UTC").toString();
            }
        }
        return Formats.TABLE.format(t.atZone(zone()));
    }

    /** The table format's English month abbreviations. */
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private static StringBuilder two(StringBuilder b, int n) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /** The table format without the fast path, for tests. */
    String tableByFormatter(Instant t) {
        return Formats.TABLE.format(t.atZone(zone()));
    }

    /** {@code 2021-07-13 12:38:10}: watch lines. */
    public String watch(Instant t) {
        return Formats.WATCH.format(t.atZone(zone()));
    }

    /** {@code 2021-07-13T10:38:10.123456789Z}: JSON. */
    public static String rfc3339(Instant t) {
        return Formats.RFC3339.format(t);
    }
}
