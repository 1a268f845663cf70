package dev.tend.watchers.nagios;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.units.Durations;
import dev.tend.watchers.process.ChildProcess;
import dev.tend.watchers.process.ChildSlot;
import dev.tend.watchers.process.CommandResolver;
import dev.tend.watchers.process.CommandTrust;
import dev.tend.watchers.process.MessageQuotes;
import dev.tend.watchers.process.RunFailure;
import dev.tend.watchers.process.ShellWords;
import dev.tend.watchers.process.TimedWait;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a Nagios plugin: render the {@code plugin} template, split it into words (no shell), run it in the machine
 * directory with only {@code MACHINE_WATCHER_NAME}, {@code MACHINE_NAME} and {@code PATH} (the agent's, then the
 * machine directory) in a session of its own, and end every process it started when the timeout expires. The exit
 * status is the result ({@link NagiosStatus#ofExit}); a plugin that cannot start, or is killed by its timeout, is
 * {@code UNKNOWN} with the reason as its output. Blocks for the whole run; nothing is thrown.
 */
final class PluginRun {

    private final NagiosProperties properties;
    private final WatcherContext context;
    private final NagiosSettings settings;
    private final ChildSlot slot;

    PluginRun(NagiosProperties properties, WatcherContext context, NagiosSettings settings, ChildSlot slot) {
        this.properties = properties;
        this.context = context;
        this.settings = settings;
        this.slot = slot;
    }

    /** Runs the {@code plugin} property: rendered, split into words. */
    CheckResult execute() {
        String rendered;
        try {
            rendered = context.templates().render(properties.plugin());
        } catch (TemplateException e) {
            return unknown("cannot render the plugin: " + e.getMessage(), properties.plugin());
        }
        try {
            return run(words(rendered), rendered);
        } catch (RunFailure f) {
            return unknown(f.getMessage(), rendered);
        }
    }

    /**
     * Runs {@code words} (a builtin's command) as a plugin.
     *
     * @param shown the command as the state event's {@code plugin} shows it
     */
    CheckResult run(List<String> words, String shown) {
        Path directory = context.machineDirectory();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("MACHINE_WATCHER_NAME", context.definition().name());
        environment.put("MACHINE_NAME", context.machineName());
        environment.put("PATH", childPath(settings.agentPath(), directory));
        try {
            List<String> command = new ArrayList<>(words);
            Path executable = CommandResolver.resolve(command.get(0), environment.get("PATH"), directory);
            Optional<String> untrusted = CommandTrust.problem(executable, directory, settings.root());
            if (untrusted.isPresent()) {
                return unknown(untrusted.get(), shown);
            }
            command.set(0, executable.toString());
            ChildProcess.Launch launch = new ChildProcess.Launch(command, directory, environment, settings.setsid(),
                    false, false, settings.outputBytes(), 0);
            ChildProcess child = slot.start(() -> ChildProcess.start(launch, context.blockingExecutor()));
            if (child == null) {
                return CheckResult.stopped(shown);
            }
            try {
                ChildProcess.Ending end = new TimedWait(properties.timeout(), context.scheduler(),
                        context.blockingExecutor(), settings.timeoutGrace(), settings.stopGrace(),
                        settings.outputDrain(), context.logger()).await(child);
                return judge(child, end, shown);
            } finally {
                slot.release(child);
            }
        } catch (RunFailure f) {
            return unknown(f.getMessage(), shown);
        }
    }

    /** A plugin's {@code PATH}: the agent's, then the machine directory. */
    static String childPath(String agentPath, Path machineDirectory) {
        return agentPath.isEmpty() ? machineDirectory.toString() : agentPath + ":" + machineDirectory;
    }

    private CheckResult judge(ChildProcess child, ChildProcess.Ending end, String rendered) {
        if (end.cut() == ChildProcess.Cut.STOP) {
            return CheckResult.stopped(rendered);
        }
        String output = child.output();
        if (end.cut() == ChildProcess.Cut.TIMEOUT) {
            String reason = "UNKNOWN: the plugin timed out after " + Durations.format(properties.timeout())
                    + "; its processes were killed";
            return CheckResult.of(NagiosStatus.UNKNOWN, output.isBlank() ? reason : reason + "\n" + output, rendered);
        }
        if (end.exitCode() == null) {
            return unknown("the plugin's exit status is unknown", rendered);
        }
        return CheckResult.of(NagiosStatus.ofExit(end.exitCode()), output, rendered);
    }

    private static List<String> words(String rendered) throws RunFailure {
        List<String> words;
        try {
            words = ShellWords.split(rendered);
        } catch (ShellWords.SyntaxException e) {
            throw new RunFailure("cannot split the plugin " + MessageQuotes.quote(rendered) + ": " + e.getMessage());
        }
        if (words.isEmpty()) {
            throw new RunFailure("the plugin " + MessageQuotes.quote(rendered) + " has no words to run");
        }
        return words;
    }

    private static CheckResult unknown(String reason, String plugin) {
        return CheckResult.of(NagiosStatus.UNKNOWN, "UNKNOWN: " + reason, plugin);
    }
}
