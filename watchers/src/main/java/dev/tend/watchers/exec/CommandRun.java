package dev.tend.watchers.exec;

import dev.tend.watchers.noop.NoopNotice;
import dev.tend.watchers.process.ChildProcess;
import dev.tend.watchers.process.ChildSlot;
import dev.tend.watchers.process.CommandResolver;
import dev.tend.watchers.process.CommandTrust;
import dev.tend.watchers.process.MessageQuotes;
import dev.tend.watchers.process.OutputHead;
import dev.tend.watchers.process.RunFailure;
import dev.tend.watchers.process.TimedWait;
import dev.tend.watchers.process.ShellWords;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tend.governor.Lease;
import dev.tend.machine.spi.MachineDataException;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.units.Durations;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One run of an exec watcher's command, start to verdict: render the template, split it into words, build the
 * environment, find the executable, write {@code WATCHER_DATA}/{@code WATCHER_FACTS}, start the command in its own
 * session, end it when the timeout expires, and judge the exit status (and with {@code parse_as_data} the output).
 * Blocks for the whole run: it runs as the watcher's waiting work ({@code runWaiting}). Every failure becomes an {@code error} result with a
 * one-line reason; nothing is thrown. In noop mode the run stops once the executable is found and trusted: it logs the
 * command it would have run ({@link NoopNotice}) and succeeds, without a governor's slot, run files or machine data.
 */
final class CommandRun {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final ExecProperties properties;
    private final WatcherContext context;
    private final ExecSettings settings;
    private final ChildSlot slot;
    private final CompletableFuture<Void> stopped;
    private long governorNanos;

    /**
     * @param stopped completed when the watcher stops: a wait for the governor's slot gives up then
     */
    CommandRun(ExecProperties properties, WatcherContext context, ExecSettings settings, ChildSlot slot,
               CompletableFuture<Void> stopped) {
        this.properties = properties;
        this.context = context;
        this.settings = settings;
        this.slot = slot;
        this.stopped = stopped;
    }

    /** How long the run waited for its governor's slot (not part of the run's time, as in the reference). */
    long governorNanos() {
        return governorNanos;
    }

    /** With a governor: waits for a slot first (failing the run without one), and releases it after the command. */
    RunResult execute() {
        if (!properties.hasGovernor() || context.noop()) { // noop: no slot is taken, as no command runs
            return runCommand();
        }
        Lease lease;
        long waitStart = System.nanoTime();
        try {
            lease = GovernedRun.enter(properties, context, stopped);
        } catch (RunFailure f) {
            return RunResult.error(f.getMessage());
        } catch (CancellationException c) {
            return RunResult.stopped();
        } finally {
            governorNanos = System.nanoTime() - waitStart;
        }
        try {
            return runCommand();
        } finally {
            GovernedRun.exit(lease, context);
        }
    }

    private RunResult runCommand() {
        List<String> command;
        ChildEnvironment environment;
        Path directory = context.machineDirectory();
        try {
            command = new ArrayList<>(words());
            environment = ChildEnvironment.prepare(properties, context.machineName(), context.definition().name(),
                    directory, settings.agentEnvironment(), context.templates());
            Path executable = CommandResolver.resolve(command.get(0), environment.path(), directory);
            Optional<String> untrusted = CommandTrust.problem(executable, directory, settings.root());
            if (untrusted.isPresent()) {
                return RunResult.error(untrusted.get());
            }
            command.set(0, executable.toString());
        } catch (RunFailure f) {
            return RunResult.error(f.getMessage());
        }
        if (context.noop()) {
            NoopNotice.wouldRun(context, command);
            return RunResult.noop();
        }
        RunFiles files;
        try {
            files = RunFiles.create(settings.tempDirectory(), context.data().snapshot(), context.facts(),
                    context.logger());
        } catch (RunFailure f) {
            return RunResult.error(f.getMessage());
        }
        boolean filesOutliveRun = false;
        try {
            ChildProcess.Launch launch = new ChildProcess.Launch(command, directory,
                    environment.toMap(files.data(), files.facts()), settings.setsid(), properties.disown(),
                    properties.parseAsData(), settings.outputBytes(), settings.dataBytes());
            ChildProcess child = slot.start(() -> ChildProcess.start(launch, context.blockingExecutor()));
            if (child == null) {
                return RunResult.stopped();
            }
            if (child.isDisowned()) {
                filesOutliveRun = true; // the command may read them until it exits, whenever that is
                child.onExit().whenComplete((p, e) -> files.close());
            }
            try {
                return judge(child, await(child));
            } finally {
                slot.release(child);
            }
        } catch (RunFailure f) {
            return RunResult.error(f.getMessage());
        } finally {
            if (!filesOutliveRun) {
                files.close();
            }
        }
    }

    private List<String> words() throws RunFailure {
        String rendered;
        try {
            rendered = context.templates().render(properties.command());
        } catch (TemplateException e) {
            throw new RunFailure("cannot render the command: " + e.getMessage());
        }
        List<String> words;
        try {
            words = ShellWords.split(rendered);
        } catch (ShellWords.SyntaxException e) {
            throw new RunFailure("cannot split the command " + MessageQuotes.quote(rendered) + ": " + e.getMessage());
        }
        if (words.isEmpty()) {
            throw new RunFailure("the command " + MessageQuotes.quote(rendered) + " has no words to run");
        }
        return words;
    }

    /** Waits for the child: a disowned one has no timeout. */
    private ChildProcess.Ending await(ChildProcess child) {
        if (child.isDisowned()) {
            return child.await(settings.outputDrain());
        }
        return new TimedWait(properties.timeout(), context.scheduler(), context.blockingExecutor(),
                settings.timeoutGrace(), settings.stopGrace(), settings.outputDrain(), context.logger()).await(child);
    }

    private RunResult judge(ChildProcess child, ChildProcess.Ending end) {
        String output = child.output();
        if (end.cut() == ChildProcess.Cut.STOP) {
            return RunResult.stopped();
        }
        if (end.cut() == ChildProcess.Cut.TIMEOUT) {
            return RunResult.timedOut("timed out after " + Durations.format(properties.timeout())
                    + "; its processes were killed", output);
        }
        if (!end.outputComplete()) {
            context.logger().debug("a process the command left running holds its output open; not waiting for it");
        }
        int exit = end.exitCode();
        if (exit != 0) {
            return RunResult.error("exited with status " + exit, exit, output);
        }
        if (properties.parseAsData()) {
            Optional<String> problem = storeData(child.stdout());
            if (problem.isPresent()) {
                return RunResult.error(problem.get(), exit, output);
            }
        }
        return RunResult.success(output);
    }

    /** parse_as_data: every top-level key of stdout's JSON object into machine data. @return why not, or empty */
    private Optional<String> storeData(OutputHead stdout) {
        if (stdout.overflowed()) {
            return Optional.of("parse_as_data: the output is larger than " + settings.dataBytes() + " bytes");
        }
        JsonNode json;
        try {
            json = JSON.readTree(stdout.bytes());
        } catch (JsonProcessingException e) {
            return Optional.of("parse_as_data: the output is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return Optional.of("parse_as_data: cannot read the output: " + e.getMessage());
        }
        if (json == null || json.isMissingNode()) {
            return Optional.of("parse_as_data: the output is empty; expected a JSON object");
        }
        if (!json.isObject()) {
            return Optional.of("parse_as_data: the output is a JSON " + json.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            try {
                context.data().put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
            } catch (MachineDataException | IllegalArgumentException e) {
                return Optional.of("parse_as_data: cannot store " + MessageQuotes.quote(field.getKey())
                        + " in machine data: " + e.getMessage());
            }
        }
        return Optional.empty();
    }
}
