package dev.tend.kv.backup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.StoreException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** What the backup's files share: the JSON factory, times, checksums, file moves and the errors' wording. */
final class BackupFiles {

    /**
     * Duplicate keys are damage, not a choice of which one wins. A value may be as long as the largest value a
     * bucket holds (64 MiB for the embedded store) in base64. Closing a generator leaves its stream to the writer,
     * which forces the file after.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(100_000_000).build())
            .build();

    private static final DateTimeFormatter RFC3339_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private BackupFiles() {
    }

    /** RFC 3339 in UTC with nanoseconds, as a backup writes times. */
    static String format(Instant t) {
        return RFC3339_NANOS.format(t);
    }

    /** An RFC 3339 time with any offset, or null. */
    static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void forceDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every platform can force a directory; the files themselves are forced.
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is never mistaken for a backup
        }
    }

    /** The first line of a JSON error, at most 120 characters, without Jackson's location. */
    static String brief(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) {
            return "unreadable";
        }
        m = m.lines().findFirst().orElse("");
        return m.length() > 120 ? m.substring(0, 117) + "..." : m;
    }

    static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    static CorruptDataException corrupt(Path file, String what) {
        return new CorruptDataException("damaged backup: " + file + ": " + what);
    }

    static CorruptDataException corrupt(Path file, long line, String what) {
        return new CorruptDataException("damaged backup: " + file + " line " + line + ": " + what);
    }

    static StoreException ioError(String what, IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof NoSuchFileException) {
            m = "no such file " + m;
        } else if (e instanceof AccessDeniedException) {
            m = "permission denied: " + m;
        }
        return new StoreException(what + ": " + m, e);
    }
}
