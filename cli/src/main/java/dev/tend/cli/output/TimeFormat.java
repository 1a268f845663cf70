package dev.tend.cli.output;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** The CLI's time formats, in local time (honouring {@code TZ}), and RFC 3339 UTC for JSON. */
public final class TimeFormat {
    private static final DateTimeFormatter TABLE = DateTimeFormatter.ofPattern("dd MMM yy HH:mm z", Locale.ENGLISH);
    private static final DateTimeFormatter WATCH = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ZoneId zone;

    public TimeFormat(ZoneId zone) {
        this.zone = zone;
    }

    /** The zone named by {@code TZ} in the environment (a leading ':' allowed), else the system's. */
    public static TimeFormat from(Map<String, String> env) {
        String tz = env.get("TZ");
        ZoneId zone = ZoneId.systemDefault();
        if (tz != null && !tz.isBlank()) {
            String id = tz.startsWith(":") ? tz.substring(1) : tz;
            try {
                zone = ZoneId.of(id);
            } catch (DateTimeException e) {
                // An unknown or POSIX-style TZ: keep the system's zone, as the JVM itself does.
            }
        }
        return new TimeFormat(zone);
    }

    /** {@code 13 Jul 21 10:38 UTC}: tables and headers. */
    public String table(Instant t) {
        return TABLE.format(t.atZone(zone));
    }

    /** {@code 2021-07-13 12:38:10}: watch lines. */
    public String watch(Instant t) {
        return WATCH.format(t.atZone(zone));
    }

    /** {@code 2021-07-13T10:38:10.123456789Z}: JSON. */
    public static String rfc3339(Instant t) {
        return RFC3339.format(t);
    }
}
