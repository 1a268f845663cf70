package dev.tend.bench;

import dev.tend.kv.BucketConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the scenarios of {@link KvBench} share: the options, the run's data directory, the table of figures, the
 * sink for results, and the figures later scenarios compare with. One per run, passed to each group of scenarios,
 * so that they hold no static state.
 */
final class KvScenarioContext {

    static final String PASS = "PASS";
    static final String FAIL = "FAIL";
    /** The verdict of a row without a target. */
    static final String INFO = "-";

    private final BenchOptions options;
    private final Path data;
    private final PrintStream out;
    private final FigureTable table = new FigureTable("SCENARIO", "FIGURE", "TARGET", "VERDICT");

    /** Keeps results the JIT could otherwise drop. */
    private volatile long sink;
    /** Scenario 2's median, which scenarios 3 and 5 print next to their own; null until (or unless) it ran. */
    private Double sequentialPutRate;

    KvScenarioContext(BenchOptions options, Path data, PrintStream out) {
        this.options = options;
        this.data = data;
        this.out = out;
    }

    BenchOptions options() {
        return options;
    }

    /** The run's data directory (deleted at the end unless --keep). */
    Path data() {
        return data;
    }

    /** A directory of the data directory, for one scenario's store. */
    Path dir(String name) throws IOException {
        return Files.createDirectories(data.resolve(name));
    }

    static BucketConfig config(String name, int history) {
        return BucketConfig.builder(name).history(history).build();
    }

    /** A line under the scenario's heading. */
    void detail(String line) {
        out.println("   " + line);
        out.flush();
    }

    /** Synchronized: the watchdog's thread adds its TIMEOUT row and prints the table while a scenario runs. */
    synchronized void row(String scenario, String figure, String target, String verdict) {
        table.add(scenario, figure, target, verdict);
    }

    synchronized void printTable() {
        table.print(out);
    }

    static String verdict(boolean pass) {
        return pass ? PASS : FAIL;
    }

    /** {@code 1 run} or {@code 3 runs}. */
    static String runCount(int runs) {
        return runs == 1 ? "1 run" : runs + " runs";
    }

    /** Adds a result to the sink. */
    void consume(long result) {
        sink += result;
    }

    Double sequentialPutRate() {
        return sequentialPutRate;
    }

    void sequentialPutRate(double rate) {
        sequentialPutRate = rate;
    }
}
