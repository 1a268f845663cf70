package dev.tend.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a writer child spent in a window: the CPU time of its whole process (every thread: the writer, the JIT
 * compilers, the collector) in nanoseconds, the user and system parts of it from {@code /proc/self/stat} (clock
 * ticks, 10 ms each), the context switches of the calling thread (the writer) from {@code /proc/thread-self/status},
 * the run time of the writer thread, of the JIT compilers, of the collector and of the kv store's lock-wait threads
 * ({@code schedstat});
 * and the side file a child leaves them in beside its result.
 */
record ProcessCpu(long cpuNanos, long userTicks, long systemTicks, long voluntarySwitches, long involuntarySwitches,
                  long writerNanos, long jitNanos, long gcNanos, long lockWaitNanos) {
    static final ProcessCpu NONE = new ProcessCpu(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** This process's CPU counters and the calling thread's context switches, now. */
    static ProcessCpu now() throws IOException {
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command's closing parenthesis: state is field 3 of stat(5), utime 14, stime 15.
        long user = Long.parseLong(f[14 - 3]);
        long system = Long.parseLong(f[15 - 3]);
        long voluntary = 0;
        long involuntary = 0;
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        long[] groups = threadGroups();
        return new ProcessCpu(cpu, user, system, voluntary, involuntary, groups[0], groups[1], groups[2],
                groups[3]);
    }

    /**
     * The run time (nanoseconds, {@code /proc/self/task/TID/schedstat}) of the calling thread, of the JIT compiler
     * threads, of the collector's threads and of the store's lock-wait threads: where a window's CPU went.
     */
    private static long[] threadGroups() throws IOException {
        long[] out = new long[4];
        out[0] = runNanos(Path.of("/proc/thread-self/schedstat"));
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                long nanos;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    nanos = runNanos(task.resolve("schedstat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    out[1] += nanos;
                } else if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
                    out[2] += nanos;
                } else if (name.startsWith("tend-kv-lock-wa")) {
                    out[3] += nanos;
                }
            }
        }
        return out;
    }

    private static long runNanos(Path schedstat) throws IOException {
        String s = Files.readString(schedstat).trim();
        return Long.parseLong(s.substring(0, s.indexOf(' ')));
    }

    ProcessCpu minus(ProcessCpu o) {
        return new ProcessCpu(cpuNanos - o.cpuNanos, userTicks - o.userTicks, systemTicks - o.systemTicks,
                voluntarySwitches - o.voluntarySwitches, involuntarySwitches - o.involuntarySwitches,
                writerNanos - o.writerNanos, jitNanos - o.jitNanos, gcNanos - o.gcNanos,
                lockWaitNanos - o.lockWaitNanos);
    }

    ProcessCpu plus(ProcessCpu o) {
        return new ProcessCpu(cpuNanos + o.cpuNanos, userTicks + o.userTicks, systemTicks + o.systemTicks,
                voluntarySwitches + o.voluntarySwitches, involuntarySwitches + o.involuntarySwitches,
                writerNanos + o.writerNanos, jitNanos + o.jitNanos, gcNanos + o.gcNanos,
                lockWaitNanos + o.lockWaitNanos);
    }

    /** Writes these counters beside {@code result}, whole (a reader waiting for the file never sees it empty). */
    void write(Path result) throws IOException {
        Path tmp = file(result).resolveSibling(file(result).getFileName() + ".tmp");
        Files.writeString(tmp, cpuNanos + " " + userTicks + " " + systemTicks + " " + voluntarySwitches
                + " " + involuntarySwitches + " " + writerNanos + " " + jitNanos + " " + gcNanos + " " + lockWaitNanos);
        Files.move(tmp, file(result), StandardCopyOption.ATOMIC_MOVE);
    }

    /** What {@link #write} left beside {@code result}, or {@link #NONE} when there is nothing. */
    static ProcessCpu read(Path result) throws IOException {
        Path f = file(result);
        if (!Files.exists(f)) {
            return NONE;
        }
        String[] v = Files.readString(f).trim().split(" ");
        return new ProcessCpu(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]),
                Long.parseLong(v[3]), Long.parseLong(v[4]), Long.parseLong(v[5]), Long.parseLong(v[6]),
                Long.parseLong(v[7]), Long.parseLong(v[8]));
    }

    private static Path file(Path result) {
        return result.resolveSibling(result.getFileName() + ".cpu");
    }
}
