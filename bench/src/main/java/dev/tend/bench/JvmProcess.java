package dev.tend.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started by {@code bench/agent} and what it costs: started with its output in a file, ready when that output
 * says so, then its resident set from {@code /proc/<pid>/status} and its heap after a full collection through
 * {@code jcmd} (the JDK's own tool, attached from outside: nothing in the measured process changes).
 */
final class JvmProcess implements AutoCloseable {

    /** What {@code /proc/<pid>/status} and {@code jcmd} said, in KiB (threads: a count). */
    record Memory(long rssKib, long anonKib, long fileKib, long threads, long heapUsedKib, long heapCommittedKib) {
    }

    private static final Pattern GENERATION = Pattern.compile(
            "^\\s*(garbage-first heap|def new generation|tenured generation|PSYoungGen|ParOldGen)\\s+total (\\d+)K, used (\\d+)K");

    private final Process process;
    private final Path output;
    private final long startedNs;
    private long readyNs;

    private JvmProcess(Process process, Path output, long startedNs) {
        this.process = process;
        this.output = output;
        this.startedNs = startedNs;
    }

    /** Starts {@code argv} with {@code env} added to this JVM's environment less the variables of {@code remove}. */
    static JvmProcess start(List<String> argv, Map<String, String> env, List<String> remove, Path output)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        remove.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(output.toFile());
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        return new JvmProcess(p, output, t0);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Waits until {@code ready} holds for the output so far (which watches for {@code marker}); returns the time from
     * start in ms.
     */
    double awaitReady(String marker, Predicate<OutputSoFar> ready, long timeoutMs)
            throws IOException, InterruptedException {
        OutputSoFar so = new OutputSoFar(output, marker);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!ready.test(so.refresh())) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the process ended (exit " + process.exitValue() + ") before it was "
                        + "ready; its output: " + tail(so.text()));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not ready after " + timeoutMs + " ms; its output: " + tail(so.text()));
            }
            Thread.sleep(20);
        }
        readyNs = System.nanoTime();
        return (readyNs - startedNs) / 1e6;
    }

    /** The JVM options the process was started with: its command line up to {@code -cp}. */
    String jvmOptions() throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid()), "cmdline"));
        List<String> parts = new ArrayList<>();
        for (String s : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            if (s.equals("-cp") || s.equals("-classpath") || s.equals("-jar")) {
                break;
            }
            parts.add(s);
        }
        return String.join(" ", parts.subList(Math.min(1, parts.size()), parts.size()));
    }

    /** The resident set now, then the heap after a full collection that {@code jcmd} asks for. */
    Memory memory(Path jcmd) throws IOException, InterruptedException {
        String status = Files.readString(Path.of("/proc", Long.toString(pid()), "status"));
        long rss = statusField(status, "VmRSS");
        long anon = statusField(status, "RssAnon");
        long file = statusField(status, "RssFile");
        long threads = statusField(status, "Threads");
        jcmd(jcmd, "GC.run");
        long used = 0;
        long committed = 0;
        for (String line : jcmd(jcmd, "GC.heap_info").split("\n")) {
            Matcher m = GENERATION.matcher(line);
            if (m.find()) {
                committed += Long.parseLong(m.group(2));
                used += Long.parseLong(m.group(3));
            }
        }
        return new Memory(rss, anon, file, threads, used, committed);
    }

    private String jcmd(Path jcmd, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), command).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("jcmd " + pid() + " " + command + " failed: " + tail(out));
        }
        return out;
    }

    private static long statusField(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no " + name + " in /proc/<pid>/status");
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.length() <= 2000 ? t : "..." + t.substring(t.length() - 2000);
    }

    /** SIGTERM, as an operator stops the agent; killed when it has not ended within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The process's output so far, read incrementally: its line count, its first 64 KiB (for messages) and whether a
     * given text has appeared anywhere in it.
     */
    static final class OutputSoFar {
        private static final int KEEP = 1 << 16;
        private final Path file;
        private final String marker;
        private long offset;
        private long lines;
        private boolean seen;
        private String carry = "";
        private final StringBuilder head = new StringBuilder();

        OutputSoFar(Path file, String marker) {
            this.file = file;
            this.marker = marker;
        }

        OutputSoFar refresh() throws IOException {
            try (SeekableByteChannel ch = Files.newByteChannel(file)) {
                ch.position(offset);
                ByteBuffer buf = ByteBuffer.allocate(KEEP);
                int n;
                while ((n = ch.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf.get(i) == '\n') {
                            lines++;
                        }
                    }
                    String chunk = new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1);
                    if (head.length() < KEEP) {
                        head.append(chunk, 0, Math.min(chunk.length(), KEEP - head.length()));
                    }
                    if (!marker.isEmpty() && !seen) {
                        String window = carry + chunk;
                        seen = window.contains(marker);
                        carry = window.substring(Math.max(0, window.length() - marker.length()));
                    }
                    offset += n;
                    buf.clear();
                }
            }
            return this;
        }

        String text() {
            return head.toString();
        }

        long lines() {
            return lines;
        }

        boolean seen() {
            return seen;
        }
    }
}
