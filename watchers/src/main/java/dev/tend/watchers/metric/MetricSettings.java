package dev.tend.watchers.metric;

import dev.tend.watchers.process.CommandTrust;
import dev.tend.watchers.process.PlainCommand;
import dev.tend.watchers.process.ProcessTree;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * What the metric watchers of one factory share: how commands run, and the limits Tend chooses. Tests make their own;
 * the agent uses {@link #defaults()}.
 *
 * @param command         how the commands run (the agent's {@code PATH}, graces, output kept, root)
 * @param connectTimeout  how long connecting to Graphite may take (the reference's 2 s)
 * @param randomBelow     a random number in [0, bound), for the first run's delay
 */
record MetricSettings(PlainCommand.Settings command, Duration connectTimeout, LongUnaryOperator randomBelow) {

    static final int OUTPUT_BYTES = 64 * 1024;

    static MetricSettings defaults() {
        String path = System.getenv("PATH");
        return new MetricSettings(new PlainCommand.Settings(ProcessTree.setsidProgram(), path == null ? "" : path,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1), OUTPUT_BYTES,
                CommandTrust.runningAsRoot()), Duration.ofSeconds(2),
                bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    MetricSettings withRandom(LongUnaryOperator value) {
        return new MetricSettings(command, connectTimeout, value);
    }
}
