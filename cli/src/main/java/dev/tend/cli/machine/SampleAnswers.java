package dev.tend.cli.machine;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Small answers of the shape an agent gives to {@code list}, {@code info} and {@code transition}: a machine with the
 * fields most have (an exec watcher with a text and a number in its state, its next run, the times). A one-shot
 * {@code tend machine} command reads and prints one into nothing while the JDK readies its socket support on another
 * thread ({@code ClientStartup}), so the classes and first runs of its JSON reading, statuses and output are done
 * before the agent's answer comes rather than after ({@code tend machine list} and {@code info} about 2 ms sooner).
 * Small on purpose: the rehearsal runs interpreted, and a sample with every kind of field (last runs, warnings, a
 * failed machine) took longer to read than the JDK's socket support to ready, which made the command slower.
 * {@code SampleAnswersTest} checks that each reads as the agent's own encoding of it.
 */
final class SampleAnswers {

    private static final String MACHINE = "{\"name\":\"sample\",\"version\":\"1.0.0\",\"state\":\"RUNNING\","
            + "\"path\":\"/etc/tend/machines/sample\",\"instance_id\":\"00000000-0000-4000-8000-000000000000\","
            + "\"start_time\":\"2026-01-02T03:04:05.123456789Z\",\"available_transitions\":[\"done\"],"
            + "\"watchers\":[{\"name\":\"run\",\"type\":\"exec\",\"active\":true,\"state\":{\"command\":\"./run.sh\","
            + "\"previous_run_time\":1500000},\"next\":{\"what\":\"runs\",\"at\":\"2026-01-02T04:04:06Z\"}}],"
            + "\"state_since\":\"2026-01-02T03:04:05Z\",\"data\":{}}";

    /** An answer to {@code list}. */
    static final String LIST = "{\"v\":1,\"ok\":true,\"identity\":\"sample\",\"machines\":[" + MACHINE + "]}";

    /** An answer to {@code info}. */
    static final String INFO = "{\"v\":1,\"ok\":true,\"machine\":" + MACHINE + "}";

    /** An answer to {@code transition}. */
    static final String TRANSITION = "{\"v\":1,\"ok\":true,\"machine\":\"sample\",\"event\":\"done\","
            + "\"from_state\":\"RUNNING\",\"to_state\":\"DONE\"}";

    private SampleAnswers() {
    }

    /** A writer that drops what it is given. */
    static PrintWriter discard() {
        return new PrintWriter(Writer.nullWriter());
    }
}
