package dev.tend.bench;

import dev.tend.machine.WatcherRegistry;
import dev.tend.machine.load.MachineLoader;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Machine files at the size limit, run by {@code bench/runtime} after the agents (alone, in a fresh JVM, with
 * {@code --files-only}): three files of 1 MiB — one comment line (SnakeYAML's own reader takes time quadratic in a
 * token's length), comment lines of 80 characters, and a machine of thousands of transitions and timer watchers —
 * each validated as {@code tend machine validate} does ({@link MachineLoader#validate}: the checks and the JSON
 * Schema) and loaded as the agent does ({@link MachineLoader#load}); and a 5 MiB file, refused before it is read.
 * Target: a file of the limit validates in at most 1 s (the median of the runs after the first; the first is shown
 * too).
 */
final class MachineFileScenarios {

    private static final int RUNS = 5;
    private static final double TARGET_MS = 1_000;

    private final Path dir;
    private final PrintStream out;
    private final FigureTable table;
    private final MachineLoader loader = new MachineLoader(WatcherRegistry.load(MachineFileScenarios.class
            .getClassLoader()));
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    MachineFileScenarios(Path dir, PrintStream out, FigureTable table) {
        this.dir = dir;
        this.out = out;
        this.table = table;
    }

    void run() throws IOException {
        out.println();
        out.println("== machine files of the limit (" + MachineLoader.FILE_LIMIT.size() + ")");
        Path small = write("small", MACHINE);
        Timing first = time(() -> loader.validate(small));
        out.println("   first validation in the JVM, a small machine (class loading, the schema's generation): "
                + first);
        measure("one comment line", write("comment-line", commentLine(limit())));
        measure("80-character comment lines", write("comment-lines", commentLines()));
        measure("transitions and watchers", write("wide", wide()));

        Path big = write("over", commentLine(5 * 1024 * 1024));
        Timing refused = time(() -> loader.validate(big));
        out.println("   a 5 MiB file: " + refused + ", " + loader.validate(big).errors().get(0).message());
        table.add("machine file of 5 MiB: refused", refused.wallText(), "-", "-");
    }

    private void measure(String shape, Path file) {
        Timing firstValidate = time(() -> loader.validate(file));
        Timing[] validate = new Timing[RUNS];
        Timing[] load = new Timing[RUNS];
        for (int i = 0; i < RUNS; i++) {
            validate[i] = time(() -> loader.validate(file));
            load[i] = time(() -> {
                try {
                    return loader.load(file);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        MachineLoader.Validation v = loader.validate(file);
        if (!v.isValid()) {
            throw new IllegalStateException(file + " does not validate: " + v.errors().get(0));
        }
        Timing medianValidate = Timing.median(validate);
        Timing medianLoad = Timing.median(load);
        out.println("   " + shape + " (" + Support.count(size(file)) + " bytes): validate first " + firstValidate
                + ", median of " + RUNS + " " + medianValidate + "; load median " + medianLoad);
        table.add("validate 1 MiB: " + shape, medianValidate.wallText() + " (first " + firstValidate.wallText() + ")",
                "<= 1 s", medianValidate.wallMillis() <= TARGET_MS ? "PASS" : "FAIL");
    }

    /** Wall and CPU time of one call: the machine is often shared, and the CPU time says what the call itself cost. */
    private record Timing(double wallMillis, double cpuMillis) {
        static Timing median(Timing[] timings) {
            double[] wall = Arrays.stream(timings).mapToDouble(Timing::wallMillis).toArray();
            double[] cpu = Arrays.stream(timings).mapToDouble(Timing::cpuMillis).toArray();
            return new Timing(Support.median(wall), Support.median(cpu));
        }

        String wallText() {
            return Support.millis(wallMillis);
        }

        @Override
        public String toString() {
            return Support.millis(wallMillis) + " (CPU " + Support.millis(cpuMillis) + ")";
        }
    }

    private Timing time(Supplier<?> call) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        call.get();
        long t1 = System.nanoTime();
        long cpu1 = threads.getCurrentThreadCpuTime();
        return new Timing((t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6);
    }

    private Path write(String name, String yaml) throws IOException {
        Path machine = Files.createDirectories(dir.resolve(name));
        Files.writeString(machine.resolve("machine.yaml"), yaml);
        return machine;
    }

    private static long size(Path machineDir) {
        try {
            return Files.size(machineDir.resolve("machine.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String MACHINE = """
            name: large
            version: "1.0.0"
            initial_state: idle
            transitions:
              - name: expire
                from: [idle]
                destination: expired
            watchers:
              - name: timer
                type: timer
                state_match: [idle]
                fail_transition: expire
                properties:
                  timer: 10s
            """;

    /** A machine and one comment line: {@code bytes} in all. */
    private static String commentLine(int bytes) {
        return MACHINE + "# " + "x".repeat(bytes - MACHINE.length() - 3) + "\n";
    }

    /** A machine and comment lines of 80 characters: the limit in all. */
    private static String commentLines() {
        String line = "# " + "x".repeat(77) + "\n";
        return exactly(MACHINE + line.repeat((limit() - MACHINE.length()) / line.length()));
    }

    /** {@code yaml} (at most the limit, ending with a line break) and a last comment line: exactly the limit. */
    private static String exactly(String yaml) {
        int missing = limit() - yaml.length();
        return missing < 2 ? yaml + "\n".repeat(missing) : yaml + "#" + "y".repeat(missing - 2) + "\n";
    }

    private static int limit() {
        return (int) MachineLoader.FILE_LIMIT.bytes();
    }

    /** Transitions s0 -> s1 -> ... and timer watchers, one per state, about half of the limit each. */
    private static String wide() {
        StringBuilder yaml = new StringBuilder("name: wide\nversion: \"1.0.0\"\ninitial_state: s0\ntransitions:\n");
        int half = limit() / 2;
        int transitions = 0;
        while (yaml.length() < half) {
            yaml.append("  - name: t_").append(transitions).append("\n    from: [s").append(transitions)
                    .append("]\n    destination: s").append(transitions + 1).append('\n');
            transitions++;
        }
        yaml.append("watchers:\n");
        StringBuilder watcher = new StringBuilder();
        for (int w = 0; ; w++) {
            watcher.setLength(0);
            watcher.append("  - name: w_").append(w).append("\n    type: timer\n    state_match: [s")
                    .append(w % transitions).append("]\n    fail_transition: t_").append(w % transitions)
                    .append("\n    interval: 1m\n    properties:\n      timer: ").append(w % 50 + 1).append("s\n");
            if (yaml.length() + watcher.length() > limit()) {
                break;
            }
            yaml.append(watcher);
        }
        return exactly(yaml.toString());
    }
}
