package dev.tend.watchers.exec;

import dev.tend.watchers.process.ShellWords;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.units.Durations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

import static dev.tend.watchers.exec.ExecProperties.COMMAND;
import static dev.tend.watchers.exec.ExecProperties.DISOWN;
import static dev.tend.watchers.exec.ExecProperties.ENVIRONMENT;
import static dev.tend.watchers.exec.ExecProperties.GATHER_INITIAL_STATE;
import static dev.tend.watchers.exec.ExecProperties.GOVERNOR;
import static dev.tend.watchers.exec.ExecProperties.GOVERNOR_TIMEOUT;
import static dev.tend.watchers.exec.ExecProperties.INHERIT_ENVIRONMENT;
import static dev.tend.watchers.exec.ExecProperties.PARSE_AS_DATA;
import static dev.tend.watchers.exec.ExecProperties.SUPPRESS_SUCCESS_ANNOUNCE;
import static dev.tend.watchers.exec.ExecProperties.TIMEOUT;

/**
 * The {@code exec} watcher type: runs a command (no shell) when the machine changes state and every {@code interval};
 * exit status 0 fires {@code success_transition}, anything else {@code fail_transition}. See {@link ExecWatcher}.
 */
public final class ExecWatcherFactory implements WatcherFactory {

    public static final String TYPE = "exec";
    private static final Logger LOG = LoggerFactory.getLogger(ExecWatcherFactory.class);
    /** The shortest {@code interval} (the reference's). */
    static final Duration MIN_INTERVAL = Duration.ofMillis(500);

    private static final List<PropertySpec> PROPERTIES = List.of(
            PropertySpec.of(COMMAND, PropertyType.STRING).required().templated()
                    .describedAs("the command to run, split into words as a shell would but run without one (no pipes,"
                            + " redirections, globs or $VARs); a bare name is looked up in PATH, then in the machine"
                            + " directory"),
            PropertySpec.of(TIMEOUT, PropertyType.DURATION).withDefault(ExecProperties.DEFAULT_TIMEOUT)
                    .describedAs("how long a run may take before the command and every process it started are killed"
                            + " (0: the default, 10s)"),
            PropertySpec.of(ENVIRONMENT, PropertyType.STRING_LIST).templated()
                    .describedAs("VAR=value variables the command also gets, after Tend's own (a later one wins)"),
            PropertySpec.of(INHERIT_ENVIRONMENT, PropertyType.STRING_LIST)
                    .describedAs("names of the agent's environment variables the command also gets, e.g. [HOME, LANG,"
                            + " TZ] (Tend only; nothing else is inherited)"),
            PropertySpec.of(PARSE_AS_DATA, PropertyType.BOOLEAN).withDefault(false)
                    .describedAs("the command's standard output is a JSON object; each top-level key is stored in the"
                            + " machine's data"),
            PropertySpec.of(SUPPRESS_SUCCESS_ANNOUNCE, PropertyType.BOOLEAN).withDefault(false)
                    .describedAs("publish no state event after a successful run (errors are still published)"),
            PropertySpec.of(GATHER_INITIAL_STATE, PropertyType.BOOLEAN).withDefault(false)
                    .describedAs("with an interval: the first run comes after a random 0-30s instead of a full"
                            + " interval"),
            PropertySpec.of(DISOWN, PropertyType.BOOLEAN).withDefault(false)
                    .describedAs("leave the command running when the machine stops: no timeout, output not captured"),
            PropertySpec.of(GOVERNOR, PropertyType.STRING).templated()
                    .describedAs("the concurrency governor (tend governor add) whose slot each run waits for and holds"
                            + " while the command runs, in the agent's store; empty: none"),
            PropertySpec.of(GOVERNOR_TIMEOUT, PropertyType.DURATION)
                    .withDefault(ExecProperties.DEFAULT_GOVERNOR_TIMEOUT)
                    .describedAs("with a governor: how long a run waits for a slot before it fails (0: the default,"
                            + " 5m)"));

    private final ExecSettings settings;

    /** For {@link java.util.ServiceLoader}: the agent's settings. */
    public ExecWatcherFactory() {
        this(ExecSettings.defaults());
    }

    ExecWatcherFactory(ExecSettings settings) {
        this.settings = settings;
        if (settings.setsid().isEmpty()) {
            LOG.warn("exec watchers: no setsid program (util-linux) in /usr/bin or /bin: commands run in the agent's"
                    + " session, and a timeout or stop ends only the processes still below them");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return PROPERTIES;
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        WatcherProperties p = watcher.properties();
        checkCommand(p.string(COMMAND), problems);
        checkGovernor(p, problems);
        Duration interval = watcher.interval();
        if (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0) {
            problems.report(null, "interval " + Durations.format(interval) + " is too short for an exec watcher: the"
                    + " minimum is " + Durations.format(MIN_INTERVAL) + " (without an interval it runs only on state"
                    + " changes)");
        }
        List<String> environment = p.stringList(ENVIRONMENT);
        for (int i = 0; i < environment.size(); i++) {
            int item = i + 1;
            ChildEnvironment.itemProblem(environment.get(i))
                    .ifPresent(problem -> problems.report(ENVIRONMENT, "item " + item + ": " + problem));
        }
        for (String name : p.stringList(INHERIT_ENVIRONMENT)) {
            ChildEnvironment.inheritProblem(name).ifPresent(problem -> problems.report(INHERIT_ENVIRONMENT, problem));
        }
        if (p.bool(DISOWN)) {
            if (p.bool(PARSE_AS_DATA)) {
                problems.report(PARSE_AS_DATA, "cannot be used with disown: a disowned command's output is not"
                        + " captured");
            }
            if (p.isSet(TIMEOUT)) {
                problems.report(TIMEOUT, "does not apply with disown: a disowned command is never timed out");
            }
        }
        if (p.bool(GATHER_INITIAL_STATE) && interval.isZero()) {
            problems.report(GATHER_INITIAL_STATE, "needs an interval: without one the command runs only on state"
                    + " changes");
        }
    }

    /** A governor name without templates is checked now; one with templates at each run. */
    private static void checkGovernor(WatcherProperties p, ProblemReporter problems) {
        String governor = p.string(GOVERNOR);
        if (governor == null || governor.isBlank()) {
            if (p.isSet(GOVERNOR_TIMEOUT)) {
                problems.warn(GOVERNOR_TIMEOUT, "has no effect without a governor");
            }
            return;
        }
        if (!governor.contains("{{")) {
            GovernedRun.nameProblem(governor).ifPresent(problem -> problems.report(GOVERNOR, problem));
        }
    }

    /** A command without templates can be split now; one with templates is split at each run. */
    private static void checkCommand(String command, ProblemReporter problems) {
        if (command == null || command.contains("{{")) {
            return;
        }
        try {
            if (ShellWords.split(command).isEmpty()) {
                problems.report(COMMAND, "has no words to run (only blanks and a # comment)");
            }
        } catch (ShellWords.SyntaxException e) {
            problems.report(COMMAND, "cannot be split into words: " + e.getMessage());
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        return new ExecWatcher(context, ExecProperties.of(context.definition().properties()), settings);
    }
}
