package dev.tend.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 11's long-lived writer processes: {@code n} child JVMs running {@link WriterProcess#puts}, started once and
 * measured in several windows, as writer processes that run for hours would be (the NATS connections they are
 * compared with run in the harness's JVM, warm from the first round, and the server is compiled ahead of time).
 * Between windows they warm up (put) or idle, as the parent says through the control directory.
 */
final class WriterFleet implements AutoCloseable {
    /**
     * The notice a window is given: the writers put meanwhile (back in their working state after idling through
     * other windows), as the fresh writers of each window did before they were long-lived.
     */
    static final long REWARM_MILLIS = 2_000;

    private final Path control;
    private final List<Process> processes;
    private final List<Path> logs;
    private int windows;

    private WriterFleet(Path control, List<Process> processes, List<Path> logs) {
        this.control = control;
        this.processes = processes;
        this.logs = logs;
    }

    /** Starts the writers warming up, returning once each has printed {@code READY}. */
    static WriterFleet start(Path storeDir, String bucket, Path control, int n, long windowMillis,
                             List<String> jvmOptions) throws Exception {
        Files.createDirectories(control);
        Files.writeString(control.resolve("warm"), "");
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        WriterFleet fleet = new WriterFleet(control, processes, logs);
        try {
            for (int i = 0; i < n; i++) {
                Path log = control.resolve("child-" + i + ".log");
                processes.add(ChildJvm.start(jvmOptions, List.of("puts", storeDir.toString(), bucket,
                        Integer.toString(i), Integer.toString(n), control.toString(), Long.toString(windowMillis)),
                        log));
                logs.add(log);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            for (int i = 0; i < n; i++) {
                while (!Files.exists(logs.get(i)) || !Files.readString(logs.get(i)).contains(WriterProcess.READY)) {
                    fleet.checkAlive(i);
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("writer " + i + " not ready after 3 minutes");
                    }
                    Thread.sleep(20);
                }
            }
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    /** Whether the writers put between windows (warming up) or idle. */
    void warm(boolean on) throws IOException, InterruptedException {
        Path warm = control.resolve("warm");
        if (on) {
            Files.writeString(warm, "");
        } else {
            Files.deleteIfExists(warm);
            // Each writer looks for the file before every warm-up put and every few milliseconds when idle.
            Thread.sleep(200);
        }
    }

    /**
     * Keeps the writers warming up until their JIT compilers used at most {@code settledShare} of one core over the
     * last {@code interval}, or {@code max} has passed; returns what it saw.
     */
    String warmUntilSettled(Duration interval, double settledShare, Duration max) throws Exception {
        warm(true);
        long t0 = System.nanoTime();
        long deadline = t0 + max.toNanos();
        long jit = threadGroupNanos(true);
        while (true) {
            Thread.sleep(interval.toMillis());
            for (int i = 0; i < processes.size(); i++) {
                checkAlive(i);
            }
            long now = threadGroupNanos(true);
            double share = (now - jit) / (double) interval.toNanos();
            jit = now;
            long elapsed = System.nanoTime() - t0;
            if (share <= settledShare || System.nanoTime() >= deadline) {
                return Support.fixed("warmed up %.0f s more; the writers' JIT compilers then used %.1f%% of one core"
                        + " (%s)", elapsed / 1e9, share * 100, share <= settledShare ? "settled"
                        : Support.fixed("not settled within %d s", max.toSeconds()));
            }
        }
    }

    /**
     * Runs the next window, all writers starting together {@link #REWARM_MILLIS} from now; returns each writer's
     * latencies (microseconds) and their CPU summed.
     */
    WindowResult window(Duration timeout) throws Exception {
        int n = ++windows;
        Path tmp = control.resolve("go-" + n + ".tmp");
        Files.writeString(tmp, Long.toString(System.currentTimeMillis() + REWARM_MILLIS));
        Files.move(tmp, control.resolve("go-" + n));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<long[][]> series = new ArrayList<>();
        ProcessCpu cpu = ProcessCpu.NONE;
        for (int i = 0; i < processes.size(); i++) {
            Path result = control.resolve("result-" + n + "-" + i);
            while (!Files.exists(result) || !Files.exists(result.resolveSibling(result.getFileName() + ".cpu"))) {
                checkAlive(i);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("writer " + i + ": no result of window " + n + " after "
                            + timeout.toSeconds() + " s");
                }
                Thread.sleep(10);
            }
            series.add(WriterProcess.readResult(result));
            cpu = cpu.plus(ProcessCpu.read(result));
        }
        return new WindowResult(series, cpu);
    }

    /** The writers' latencies of one window and their CPU in it. */
    record WindowResult(List<long[][]> series, ProcessCpu cpu) {
    }

    /** The run time of every thread of the writers so far (nanoseconds); of their JIT compilers only with jit. */
    long threadGroupNanos(boolean jit) {
        long sum = 0;
        for (Process p : processes) {
            Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
            try (var list = Files.list(tasks)) {
                for (Path task : (Iterable<Path>) list::iterator) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim();
                        if (!jit || name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                            String s = Files.readString(task.resolve("schedstat")).trim();
                            sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
                        }
                    } catch (IOException gone) {
                        // the thread ended meanwhile
                    }
                }
            } catch (IOException gone) {
                // the process ended: checkAlive says why
            }
        }
        return sum;
    }

    private void checkAlive(int i) throws IOException {
        if (!processes.get(i).isAlive()) {
            List<String> lines = Files.exists(logs.get(i)) ? Files.readAllLines(logs.get(i)) : List.of();
            throw new IllegalStateException("writer " + i + " exited (" + processes.get(i).exitValue() + "): "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())));
        }
    }

    /** Tells the writers to stop and waits for them (killing any that does not end within a minute). */
    @Override
    public void close() throws Exception {
        Files.writeString(control.resolve("stop"), "");
        long t0 = System.nanoTime();
        for (int i = 0; i < processes.size(); i++) {
            ChildJvm.await(processes.get(i), t0, logs.get(i), Duration.ofMinutes(1));
        }
    }
}
