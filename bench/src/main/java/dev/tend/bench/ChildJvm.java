package dev.tend.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Starts {@link BenchChild} in a fresh JVM with the harness's own classpath. */
final class ChildJvm {

    /** Children still running, so a watchdog can end them. */
    static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    /**
     * How a child ended.
     *
     * @param exitCode the exit status, or -1 when it was killed after the timeout
     * @param wallNanos from start() to exit, as the parent saw it (JVM start-up included)
     * @param output   what it printed (stdout and stderr)
     */
    record Outcome(int exitCode, long wallNanos, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** The {@code name=value} pairs of the {@code RESULT} line, empty when there is none. */
        Map<String, String> result() {
            Map<String, String> m = new HashMap<>();
            output.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b).ifPresent(line -> {
                for (String pair : line.substring(7).trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        m.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
            });
            return m;
        }

        /** The last lines of the output, for an error report. */
        String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    private ChildJvm() {
    }

    static Process start(List<String> jvmOptions, List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchChild.class.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LIVE.add(p);
        return p;
    }

    /** Waits for a started child; kills it after the timeout. */
    static Outcome await(Process p, long startNanos, Path log, Duration timeout) throws IOException,
            InterruptedException {
        try {
            int code;
            if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                code = p.exitValue();
            } else {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                code = -1;
            }
            long wall = System.nanoTime() - startNanos;
            return new Outcome(code, wall, Files.exists(log) ? Files.readString(log) : "");
        } finally {
            LIVE.remove(p);
        }
    }

    static Outcome run(List<String> jvmOptions, List<String> args, Path log, Duration timeout) throws IOException,
            InterruptedException {
        long t0 = System.nanoTime();
        Process p = start(jvmOptions, args, log);
        return await(p, t0, log, timeout);
    }

    static void killAll() {
        for (Process p : LIVE) {
            p.destroyForcibly();
        }
    }
}
