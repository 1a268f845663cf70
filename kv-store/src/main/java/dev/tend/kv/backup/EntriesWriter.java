package dev.tend.kv.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tend.kv.Bucket;
import dev.tend.kv.Entry;
import dev.tend.kv.StoreException;
import dev.tend.kv.support.FileModes;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Base64;

/** Writes {@code entries.jsonl}: one compact JSON object per entry and line, in revision order. */
final class EntriesWriter {

    /**
     * What was written.
     *
     * @param count        how many entries
     * @param lastRevision the last one's revision (0 when none)
     */
    record Written(long count, long lastRevision) {
    }

    private EntriesWriter() {
    }

    /**
     * Writes every entry the bucket's watch delivers up to its caught-up point into {@code file} (created with
     * {@code modes}, or emptied), forced.
     */
    static Written write(Bucket bucket, Path file, MessageDigest sha, FileModes modes) throws IOException {
        long count = 0;
        long last = 0;
        try (FileChannel ch = modes.openOrCreate(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16), sha);
            try (WatchCollector collector = new WatchCollector(bucket);
                 JsonGenerator gen = BackupFiles.JSON.createGenerator(out)) {
                gen.setRootValueSeparator(null);
                Entry e;
                while ((e = collector.next()) != null) {
                    if (e.revision() <= last) {
                        throw new StoreException("backup of bucket " + bucket.name() + ": the watch delivered "
                                + "revision " + e.revision() + " after " + last);
                    }
                    writeEntry(gen, e);
                    count++;
                    last = e.revision();
                }
                gen.flush();
            }
            out.flush();
            ch.force(true);
        }
        return new Written(count, last);
    }

    private static void writeEntry(JsonGenerator gen, Entry e) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("key", e.key());
        gen.writeNumberField("revision", e.revision());
        gen.writeStringField("created", BackupFiles.format(e.created()));
        gen.writeStringField("operation", e.operation().name());
        gen.writeStringField("value_base64", Base64.getEncoder().encodeToString(e.value()));
        gen.writeEndObject();
        gen.writeRaw('\n');
    }
}
