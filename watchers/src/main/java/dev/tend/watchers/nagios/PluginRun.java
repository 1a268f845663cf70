package dev.tend.watchers.nagios;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.units.Durations;
import dev.tend.watchers.process.ChildSlot;
import dev.tend.watchers.process.PlainCommand;
import dev.tend.watchers.process.RunFailure;

import java.util.List;

/**
 * One run of a Nagios plugin: render the {@code plugin} template, split it into words (no shell), and run it as a
 * {@link PlainCommand} (in the machine directory with only {@code MACHINE_WATCHER_NAME}, {@code MACHINE_NAME} and
 * {@code PATH}, in a session of its own, every process it started ended when the timeout expires). The exit
 * status is the result ({@link NagiosStatus#ofExit}); a plugin that cannot start, or is killed by its timeout, is
 * {@code UNKNOWN} with the reason as its output. In noop mode the plugin is not run: the check is {@code OK} with
 * {@link #NOOP_OUTPUT}. Blocks for the whole run; nothing is thrown.
 */
final class PluginRun {

    /** A check's output in noop mode, where the plugin is not run and the check counts as {@code OK}. */
    static final String NOOP_OUTPUT = "OK: noop: the plugin was not run";

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
        PlainCommand.Result ran = new PlainCommand(context, commandSettings(), slot).run(words, properties.timeout());
        return switch (ran.end()) {
            case NOT_RUN -> unknown(ran.reason(), shown);
            case NOOP -> CheckResult.of(NagiosStatus.OK, NOOP_OUTPUT, shown);
            case STOPPED -> CheckResult.stopped(shown);
            case TIMED_OUT -> {
                String reason = "UNKNOWN: the plugin timed out after " + Durations.format(properties.timeout())
                        + "; its processes were killed";
                yield CheckResult.of(NagiosStatus.UNKNOWN, ran.output().isBlank() ? reason : reason + "\n"
                        + ran.output(), shown);
            }
            case EXITED -> ran.exitCode() == null ? unknown("the plugin's exit status is unknown", shown)
                    : CheckResult.of(NagiosStatus.ofExit(ran.exitCode()), ran.output(), shown);
        };
    }

    private PlainCommand.Settings commandSettings() {
        return new PlainCommand.Settings(settings.setsid(), settings.agentPath(), settings.timeoutGrace(),
                settings.stopGrace(), settings.outputDrain(), settings.outputBytes(), settings.root());
    }

    private static List<String> words(String rendered) throws RunFailure {
        return PlainCommand.words(rendered, "plugin");
    }

    private static CheckResult unknown(String reason, String plugin) {
        return CheckResult.of(NagiosStatus.UNKNOWN, "UNKNOWN: " + reason, plugin);
    }
}
