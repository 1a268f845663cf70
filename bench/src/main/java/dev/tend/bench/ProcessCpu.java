package dev.tend.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a writer child spent in a window: the CPU time of its whole process (every thread: the writer, the JIT
 * compilers, the collector) in nanoseconds, the user and system parts of it from {@code /proc/self/stat} (clock
 * ticks, 10 ms each), and the context switches of the calling thread (the writer) from {@code /proc/thread-self/status};
 * and the side file a child leaves them in beside its result.
 */
record ProcessCpu(long cpuNanos, long userTicks, long systemTicks, long voluntarySwitches, long involuntarySwitches) {
    static final ProcessCpu NONE = new ProcessCpu(0, 0, 0, 0, 0);

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
        return new ProcessCpu(cpu, user, system, voluntary, involuntary);
    }

    ProcessCpu minus(ProcessCpu o) {
        return new ProcessCpu(cpuNanos - o.cpuNanos, userTicks - o.userTicks, systemTicks - o.systemTicks,
                voluntarySwitches - o.voluntarySwitches, involuntarySwitches - o.involuntarySwitches);
    }

    ProcessCpu plus(ProcessCpu o) {
        return new ProcessCpu(cpuNanos + o.cpuNanos, userTicks + o.userTicks, systemTicks + o.systemTicks,
                voluntarySwitches + o.voluntarySwitches, involuntarySwitches + o.involuntarySwitches);
    }

    /** Writes these counters beside {@code result}. */
    void write(Path result) throws IOException {
        Files.writeString(file(result), cpuNanos + " " + userTicks + " " + systemTicks + " " + voluntarySwitches
                + " " + involuntarySwitches);
    }

    /** What {@link #write} left beside {@code result}, or {@link #NONE} when there is nothing. */
    static ProcessCpu read(Path result) throws IOException {
        Path f = file(result);
        if (!Files.exists(f)) {
            return NONE;
        }
        String[] v = Files.readString(f).trim().split(" ");
        return new ProcessCpu(Long.parseLong(v[0]), Long.parseLong(v[1]), Long.parseLong(v[2]),
                Long.parseLong(v[3]), Long.parseLong(v[4]));
    }

    private static Path file(Path result) {
        return result.resolveSibling(result.getFileName() + ".cpu");
    }
}
