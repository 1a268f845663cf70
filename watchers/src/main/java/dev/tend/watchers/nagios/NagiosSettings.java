package dev.tend.watchers.nagios;

import dev.tend.watchers.process.CommandTrust;
import dev.tend.watchers.process.ProcessTree;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * What the nagios watchers of one factory share: the node's facts about processes and the limits Tend chooses. Tests
 * make their own; the agent uses {@link #defaults()}.
 *
 * @param setsid       util-linux {@code setsid} (plugins run in a session of their own), or empty
 * @param agentPath    the agent's {@code PATH}; plugins get it followed by the machine directory
 * @param timeoutGrace after a timeout's SIGTERM, how long before SIGKILL
 * @param stopGrace    after a stop's SIGTERM, how long before SIGKILL
 * @param outputDrain  after a plugin was ended, how long to wait for its output to close
 * @param outputBytes  how much of a plugin's output is kept: the last bytes
 * @param randomBelow  a random number in [0, bound), for the first check's delay
 * @param root         whether the agent runs as root (then plugin files are checked, as exec's commands)
 */
record NagiosSettings(Optional<Path> setsid, String agentPath, Duration timeoutGrace, Duration stopGrace,
                      Duration outputDrain, int outputBytes, LongUnaryOperator randomBelow, boolean root) {

    static final int OUTPUT_BYTES = 64 * 1024;

    static NagiosSettings defaults() {
        String path = System.getenv("PATH");
        return new NagiosSettings(ProcessTree.setsidProgram(), path == null ? "" : path, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(1), OUTPUT_BYTES,
                bound -> ThreadLocalRandom.current().nextLong(bound), CommandTrust.runningAsRoot());
    }

    NagiosSettings withGraces(Duration timeout, Duration stop) {
        return new NagiosSettings(setsid, agentPath, timeout, stop, outputDrain, outputBytes, randomBelow, root);
    }

    NagiosSettings withAgentPath(String value) {
        return new NagiosSettings(setsid, value, timeoutGrace, stopGrace, outputDrain, outputBytes, randomBelow, root);
    }

    NagiosSettings withRandom(LongUnaryOperator value) {
        return new NagiosSettings(setsid, agentPath, timeoutGrace, stopGrace, outputDrain, outputBytes, value, root);
    }
}
