package dev.tend.cli.kv;

import dev.tend.cli.command.Prompter;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What the {@code kv} commands read and write: the environment (never {@code System.getenv} directly, for tests),
 * standard input as bytes, standard output as text and as bytes (for {@code --raw}), standard error, and the
 * prompter for confirmations.
 */
public record KvContext(Map<String, String> env, InputStream in, PrintWriter out, OutputStream binaryOut,
                        PrintWriter err, Prompter prompter) {

    /** Writes bytes exactly, after any text already written. */
    public void writeBytes(byte[] bytes) {
        writeBytes(bytes, 0, bytes.length);
    }

    /** Writes {@code length} bytes of {@code bytes} from {@code offset} exactly, after any text already written. */
    public void writeBytes(byte[] bytes, int offset, int length) {
        out.flush();
        try {
            binaryOut.write(bytes, offset, length);
            binaryOut.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
