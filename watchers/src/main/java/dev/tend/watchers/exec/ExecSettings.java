package dev.tend.watchers.exec;

import dev.tend.watchers.process.ProcessTree;

import dev.tend.watchers.process.CommandTrust;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * What the exec watchers of one factory share: the node's facts about processes and the limits Tend chooses. Tests make
 * their own; the agent uses {@link #defaults()}.
 *
 * @param setsid           util-linux {@code setsid}, which starts each command in a session of its own; empty when the
 *                         system has none (then only the command's descendants can be ended)
 * @param agentEnvironment the agent's environment: its {@code PATH}, and the names {@code inherit_environment} may pass
 * @param tempDirectory    where each run's {@code WATCHER_DATA}/{@code WATCHER_FACTS} directory is made
 * @param timeoutGrace     after a timeout's SIGTERM, how long before SIGKILL
 * @param stopGrace        after a stop's SIGTERM, how long before SIGKILL
 * @param outputDrain      after a command was ended, how long to wait for its output to close
 * @param outputBytes      how much output is kept for logs: the last bytes
 * @param dataBytes        the largest stdout {@code parse_as_data} reads
 * @param randomBelow      a random number in [0, bound), for {@code gather_initial_state}'s delay
 * @param root             whether the agent runs as root (then command files are checked, see {@link CommandTrust})
 */
record ExecSettings(Optional<Path> setsid, Map<String, String> agentEnvironment, Path tempDirectory,
                    Duration timeoutGrace, Duration stopGrace, Duration outputDrain, int outputBytes, int dataBytes,
                    LongUnaryOperator randomBelow, boolean root) {

    static final int OUTPUT_BYTES = 64 * 1024;
    static final int DATA_BYTES = 1024 * 1024;

    ExecSettings {
        agentEnvironment = Map.copyOf(agentEnvironment);
    }

    static ExecSettings defaults() {
        return new ExecSettings(ProcessTree.setsidProgram(), System.getenv(), Path.of(System.getProperty("java.io.tmpdir")),
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1), OUTPUT_BYTES, DATA_BYTES,
                bound -> ThreadLocalRandom.current().nextLong(bound), CommandTrust.runningAsRoot());
    }

    ExecSettings withSetsid(Optional<Path> value) {
        return new ExecSettings(value, agentEnvironment, tempDirectory, timeoutGrace, stopGrace, outputDrain,
                outputBytes, dataBytes, randomBelow, root);
    }

    ExecSettings withAgentEnvironment(Map<String, String> value) {
        return new ExecSettings(setsid, value, tempDirectory, timeoutGrace, stopGrace, outputDrain, outputBytes,
                dataBytes, randomBelow, root);
    }

    ExecSettings withTempDirectory(Path value) {
        return new ExecSettings(setsid, agentEnvironment, value, timeoutGrace, stopGrace, outputDrain, outputBytes,
                dataBytes, randomBelow, root);
    }

    ExecSettings withGraces(Duration timeout, Duration stop) {
        return new ExecSettings(setsid, agentEnvironment, tempDirectory, timeout, stop, outputDrain, outputBytes,
                dataBytes, randomBelow, root);
    }

    ExecSettings withLimits(int output, int data) {
        return new ExecSettings(setsid, agentEnvironment, tempDirectory, timeoutGrace, stopGrace, outputDrain, output,
                data, randomBelow, root);
    }

    ExecSettings withRandom(LongUnaryOperator value) {
        return new ExecSettings(setsid, agentEnvironment, tempDirectory, timeoutGrace, stopGrace, outputDrain,
                outputBytes, dataBytes, value, root);
    }

    ExecSettings withRoot(boolean value) {
        return new ExecSettings(setsid, agentEnvironment, tempDirectory, timeoutGrace, stopGrace, outputDrain,
                outputBytes, dataBytes, randomBelow, value);
    }
}
