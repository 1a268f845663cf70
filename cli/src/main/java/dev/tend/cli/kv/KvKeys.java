package dev.tend.cli.kv;

import dev.tend.cli.output.Json;
import dev.tend.kv.KeyFilter;
import dev.tend.kv.KvStore;
import dev.tend.kv.Names;
import dev.tend.kv.embedded.EmbeddedKvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code tend kv keys BUCKET [FILTER]}: the keys holding a value, sorted. From an embedded store, the store's lines of
 * bytes ({@link EmbeddedKvStore#keyLines}) go out as they are, without a string per key.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Lists the keys that hold a value, sorted; FILTER may use * (one token) and > (the rest).")
final class KvKeys extends KvSubcommand {

    /** The default charsets that write ASCII as it is, one byte a character. */
    private static final Set<Charset> ASCII_AS_IS = Set.of(StandardCharsets.UTF_8, StandardCharsets.US_ASCII,
            StandardCharsets.ISO_8859_1);

    @Parameters(index = "0", paramLabel = "BUCKET")
    String bucket;

    @Parameters(index = "1", paramLabel = "FILTER", arity = "0..1")
    String filter;

    @Option(names = "--json", description = "Write the keys as a JSON array.")
    boolean json;

    @Override
    public Integer call() {
        Names.checkBucketName(bucket);
        if (filter != null) {
            KeyFilter.of(filter);
        }
        List<String> filters = filter == null ? List.of() : List.of(filter);
        List<String> keys = null;
        ByteBuffer lines = null;
        try (KvStore store = openStore()) {
            if (!json && store instanceof EmbeddedKvStore embedded && linesAsBytes()) {
                lines = embedded.keyLines(bucket, filters);
            } else {
                keys = store.bucket(bucket).keys(filters);
            }
        }
        if (lines != null) {
            ctx().writeBytes(lines.array(), lines.arrayOffset() + lines.position(), lines.remaining());
        } else if (json) {
            out().println(Json.pretty(Json.strings(keys)));
        } else {
            writeLines(keys);
        }
        out().flush();
        return 0;
    }

    /**
     * True when the keys' lines can go out as bytes: keys are ASCII, which the charsets the JDK picks for a terminal
     * (UTF-8, ASCII, ISO-8859-1) write as they are, and lines end with {@code '\n'} (the embedded store's lines).
     */
    private static boolean linesAsBytes() {
        return System.lineSeparator().equals("\n") && ASCII_AS_IS.contains(Charset.defaultCharset());
    }

    /**
     * The keys one a line, in one write: println on the auto-flushing stdout would make a system call per key
     * (100,000 for a bucket of 100,000 keys). Keys are ASCII (see {@link #linesAsBytes}): then the bytes go out
     * directly, without a 1.1 MB string and its encoding; any other charset, or a key that is not ASCII, goes through
     * the text output.
     */
    private void writeLines(List<String> keys) {
        String newline = System.lineSeparator();
        if (ASCII_AS_IS.contains(Charset.defaultCharset())) {
            byte[] bytes = asciiLines(keys, newline);
            if (bytes != null) {
                ctx().writeBytes(bytes);
                return;
            }
        }
        StringBuilder text = new StringBuilder(keys.size() * 16);
        for (String key : keys) {
            text.append(key).append(newline);
        }
        out().print(text);
    }

    /** The lines' bytes, or null when a key or the line separator is not ASCII. */
    static byte[] asciiLines(List<String> keys, String newline) {
        int length = 0;
        for (String key : keys) {
            length += key.length() + newline.length();
        }
        byte[] bytes = new byte[length];
        int at = 0;
        for (String key : keys) {
            at = putAscii(bytes, at, key);
            at = at < 0 ? at : putAscii(bytes, at, newline);
            if (at < 0) {
                return null;
            }
        }
        return bytes;
    }

    /** Puts {@code s} at {@code at}; returns where it ends, or -1 when it is not ASCII. Once a key: compiled early. */
    private static int putAscii(byte[] bytes, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7f) {
                return -1;
            }
            bytes[at + i] = (byte) c;
        }
        return at + s.length();
    }
}
