package dev.tend.kv.backup;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.tend.kv.CorruptDataException;
import dev.tend.kv.Entry;
import dev.tend.kv.Names;
import dev.tend.kv.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.NoSuchElementException;

import static dev.tend.kv.backup.BackupFiles.corrupt;
import static dev.tend.kv.backup.BackupFiles.ioError;

/**
 * Reads {@code entries.jsonl} with jackson-core's streaming parser, checking it as it goes: one JSON object on each
 * line and nothing else there, no empty line, a newline at the end (else the last line was torn), UTF-8, and each
 * entry's fields (a valid key, a revision after the one before, an RFC 3339 time, an operation, base64). Each error
 * is a {@link CorruptDataException} on one line that names the file and the line, as the parser's locations give it.
 */
final class EntriesReader implements AutoCloseable {
    private static final String INCOMPLETE = "incomplete: the file does not end with a newline (a torn write?)";

    private final Path file;
    private final String bucket;
    private final JsonParser parser;
    /** Where the last line starts when the file does not end with a newline (that line is torn), else -1. */
    private final long tornFrom;
    /** The line of the entry read last, 0 before the first. */
    private long line;
    private long lastRevision;
    /** The token after the entry read last (read to see that nothing else is on its line), or the error it gave. */
    private boolean peeked;
    private JsonToken peekedToken;
    private IOException peekedError;

    /** Reads {@code file}, the entries of bucket {@code bucket}; {@code digest}, if any, sees every byte read. */
    EntriesReader(Path file, String bucket, MessageDigest digest) {
        this.file = file;
        this.bucket = bucket;
        try {
            this.tornFrom = tornFrom(file);
            InputStream raw = Files.newInputStream(file);
            this.parser = BackupFiles.JSON.createParser(digest == null ? raw : new DigestInputStream(raw, digest));
        } catch (NoSuchFileException e) {
            throw corrupt(file, "missing (the backup is incomplete)");
        } catch (IOException e) {
            throw ioError("cannot read " + file, e);
        }
    }

    /** The entries of a verified {@code file}, read again at each iteration; an iterator closes it at the end. */
    static Iterable<Entry> stream(Path file, String bucket) {
        return () -> new StreamingIterator(new EntriesReader(file, bucket, null));
    }

    private static long tornFrom(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer b = ByteBuffer.allocate(1);
            if (size == 0 || ch.read(b, size - 1) == 1 && b.get(0) == '\n') {
                return -1;
            }
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
            for (long end = size - 1; end > 0; end -= chunk.capacity()) {
                long start = Math.max(0, end - chunk.capacity());
                chunk.clear().limit((int) (end - start));
                ch.read(chunk, start);
                for (int i = chunk.position() - 1; i >= 0; i--) {
                    if (chunk.get(i) == '\n') {
                        return start + i + 1;
                    }
                }
            }
            return 0;
        }
    }

    /** The next entry, or null at the end of the file. */
    Entry next() {
        JsonToken t;
        try {
            t = nextToken();
        } catch (IOException e) {
            throw damaged(e, lineOf(e, line + 1), true);
        }
        if (t == null) {
            atEnd();
            return null;
        }
        JsonLocation at = parser.currentTokenLocation();
        if (tornFrom >= 0 && at.getByteOffset() >= tornFrom) {
            throw corrupt(file, at.getLineNr(), INCOMPLETE);
        }
        if (at.getLineNr() > line + 1) {
            throw corrupt(file, line + 1, "empty line");
        }
        line = at.getLineNr();
        Fields fields;
        try {
            if (t != JsonToken.START_OBJECT) {
                parser.skipChildren();
                throw corrupt(file, line, "not a JSON object");
            }
            fields = readFields();
        } catch (IOException e) {
            throw damaged(e, line, false);
        }
        if (parser.currentTokenLocation().getLineNr() != line) {
            throw corrupt(file, line, "not valid JSON (the entry goes on past the end of its line)");
        }
        peek();
        Entry e = toEntry(fields);
        lastRevision = e.revision();
        return e;
    }

    private JsonToken nextToken() throws IOException {
        if (!peeked) {
            return parser.nextToken();
        }
        peeked = false;
        if (peekedError != null) {
            throw peekedError;
        }
        return peekedToken;
    }

    /** Reads the token after an entry: on the entry's own line, it makes the line invalid JSON. */
    private void peek() {
        peeked = true;
        peekedToken = null;
        peekedError = null;
        try {
            peekedToken = parser.nextToken();
        } catch (IOException e) {
            peekedError = e;
            if (lineOf(e, line + 1) == line) {
                throw damaged(e, line, false);
            }
            return;
        }
        if (peekedToken != null && parser.currentTokenLocation().getLineNr() == line) {
            throw corrupt(file, line, "not valid JSON (more than one value on the line)");
        }
    }

    /** At the end of the file: blank lines after the last entry, or a torn last line of only blanks. */
    private void atEnd() {
        long end = parser.currentLocation().getLineNr();
        if (end > line + 1) {
            throw corrupt(file, line + 1, "empty line");
        }
        if (tornFrom >= 0) {
            throw corrupt(file, end, INCOMPLETE);
        }
    }

    private static long lineOf(IOException e, long otherwise) {
        return e instanceof JsonProcessingException jp && jp.getLocation() != null
                ? jp.getLocation().getLineNr() : otherwise;
    }

    /** The error for what the parser refused at {@code atLine}; {@code mayBeTorn} between entries. */
    private RuntimeException damaged(IOException e, long atLine, boolean mayBeTorn) {
        if (!(e instanceof JsonProcessingException jp)) {
            return ioError("cannot read " + file, e);
        }
        if (mayBeTorn && tornFrom >= 0 && jp.getLocation() != null && jp.getLocation().getByteOffset() >= tornFrom) {
            return corrupt(file, atLine, INCOMPLETE);
        }
        String why = BackupFiles.brief(jp);
        if (why.startsWith("Invalid UTF-8")) {
            return corrupt(file, atLine, "not valid UTF-8");
        }
        return corrupt(file, atLine, "not valid JSON (" + why + ")");
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException ignored) {
            // read-only
        }
    }

    /** An entry's fields as found on its line, before they are checked; a field of another JSON type is null. */
    private static final class Fields {
        private String key;
        private Long revision;
        private String created;
        private String operation;
        /** value_base64 is there and not null. */
        private boolean hasValue;
        private String value;
    }

    /** Reads the object the parser is at, up to its end; unknown fields are skipped. */
    private Fields readFields() throws IOException {
        Fields f = new Fields();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken v = parser.nextToken();
            String text = v == JsonToken.VALUE_STRING ? parser.getText() : null;
            switch (name) {
                case "key" -> f.key = text;
                case "revision" -> f.revision = v == JsonToken.VALUE_NUMBER_INT ? longValue() : null;
                case "created" -> f.created = text;
                case "operation" -> f.operation = text;
                case "value_base64" -> {
                    f.hasValue = v != JsonToken.VALUE_NULL;
                    f.value = text;
                }
                default -> {
                    // not ours: skipped
                }
            }
            parser.skipChildren();
        }
        return f;
    }

    private Long longValue() throws IOException {
        try {
            return parser.getLongValue();
        } catch (InputCoercionException e) {
            return null;
        }
    }

    /** Checks the fields in the order a reader of the line would meet their problems. */
    private Entry toEntry(Fields f) {
        if (f.key == null) {
            throw corrupt(file, line, "key is missing or not a string");
        }
        if (!Names.isValidKey(f.key)) {
            throw corrupt(file, line, "invalid key \"" + BackupFiles.shorten(f.key) + "\"");
        }
        if (f.revision == null || f.revision < 1) {
            throw corrupt(file, line, "revision is missing or not a positive whole number");
        }
        long revision = f.revision;
        if (revision <= lastRevision) {
            throw corrupt(file, line, "revision " + revision + " is not after revision " + lastRevision
                    + " (entries must be in revision order)");
        }
        Instant created = f.created == null ? null : BackupFiles.parseTime(f.created);
        if (created == null) {
            throw corrupt(file, line, "created is missing or not an RFC 3339 time");
        }
        Operation op = null;
        for (Operation o : Operation.values()) {
            if (o.name().equals(f.operation)) {
                op = o;
            }
        }
        if (op == null) {
            throw corrupt(file, line, "operation is missing or not one of PUT, DEL, PURGE");
        }
        byte[] value = new byte[0];
        if (f.hasValue) {
            if (f.value == null) {
                throw corrupt(file, line, "value_base64 is not a string");
            }
            try {
                value = Base64.getDecoder().decode(f.value);
            } catch (IllegalArgumentException e) {
                throw corrupt(file, line, "value_base64 is not valid base64");
            }
        }
        return new Entry(bucket, f.key, value, revision, created, 0, op);
    }

    private static final class StreamingIterator implements Iterator<Entry> {
        private final EntriesReader reader;
        private Entry next;
        private boolean finished;

        StreamingIterator(EntriesReader reader) {
            this.reader = reader;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !finished) {
                try {
                    next = reader.next();
                } catch (RuntimeException e) {
                    finished = true;
                    reader.close();
                    throw e;
                }
                if (next == null) {
                    finished = true;
                    reader.close();
                }
            }
            return next != null;
        }

        @Override
        public Entry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            next = null;
            return e;
        }
    }
}
