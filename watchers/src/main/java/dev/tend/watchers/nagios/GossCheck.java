package dev.tend.watchers.nagios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tend.machine.spi.WatcherContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code goss} builtin: runs {@code goss --gossfile FILE [--vars OVERRIDES] validate --format structured} (the goss
 * binary on the agent's {@code PATH}; the agent's overrides file, when it has one, as goss's variables) as a plugin, with the plugin's timeout, and judges goss's structured JSON summary: failed tests
 * make it {@code CRITICAL}, none {@code OK}, output goss cannot give (it did not run, or wrote no summary)
 * {@code UNKNOWN}. The output is the reference's: {@code OK: <summary line>|checks=N;; failed=N;; runtime=Xs}.
 */
final class GossCheck {

    static final String BINARY = "goss";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GossCheck() {
    }

    /** The goss binary in the agent's {@code PATH}, if there is one. */
    static Optional<Path> find(String agentPath) {
        for (String entry : agentPath.split(":")) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, BINARY);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static CheckResult run(NagiosProperties properties, WatcherContext context, NagiosSettings settings,
                           PluginRun runner) {
        Optional<Path> goss = find(settings.agentPath());
        if (goss.isEmpty()) {
            return CheckResult.of(NagiosStatus.UNKNOWN, "UNKNOWN: no goss binary in PATH (" + settings.agentPath()
                    + ")", NagiosProperties.GOSS);
        }
        Path gossfile = context.machineDirectory().resolve(properties.gossfile());
        List<String> command = new ArrayList<>(List.of(goss.get().toString(), "--gossfile", gossfile.toString()));
        context.overridesFile().filter(Files::isRegularFile).ifPresent(vars -> {
            command.add("--vars");
            command.add(vars.toString());
        });
        command.addAll(List.of("validate", "--format", "structured"));
        CheckResult ran = runner.run(command, NagiosProperties.GOSS);
        if (ran.stopped() || ran.output().startsWith("UNKNOWN: ") || ran.output().equals(PluginRun.NOOP_OUTPUT)) {
            return ran;
        }
        return judge(ran.output());
    }

    /** goss's structured output to a check's result. */
    static CheckResult judge(String output) {
        JsonNode summary;
        String line;
        try {
            JsonNode root = JSON.readTree(output.substring(Math.max(0, output.indexOf('{'))));
            summary = root.path("summary");
            line = root.path("summary-line").asText("");
            if (!summary.has("test-count") || !summary.has("failed-count")) {
                return unknown("goss wrote no summary: " + firstLine(output));
            }
        } catch (IOException e) {
            return unknown("goss output invalid: " + firstLine(output));
        }
        long tests = summary.path("test-count").asLong();
        long failed = summary.path("failed-count").asLong();
        double seconds = summary.path("total-duration").asLong() / 1e9;
        String perf = String.format(Locale.ROOT, "checks=%d;; failed=%d;; runtime=%fs", tests, failed, seconds);
        NagiosStatus status = failed > 0 ? NagiosStatus.CRITICAL : NagiosStatus.OK;
        return CheckResult.of(status, status.name() + ": " + line + "|" + perf, NagiosProperties.GOSS);
    }

    private static CheckResult unknown(String reason) {
        return CheckResult.of(NagiosStatus.UNKNOWN, "UNKNOWN: " + reason, NagiosProperties.GOSS);
    }

    private static String firstLine(String output) {
        String stripped = output.strip();
        int nl = stripped.indexOf('\n');
        return nl < 0 ? stripped : stripped.substring(0, nl);
    }
}
