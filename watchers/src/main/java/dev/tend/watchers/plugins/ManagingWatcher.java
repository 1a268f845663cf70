package dev.tend.watchers.plugins;

import dev.tend.fleet.spec.PluginItem;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherRun;
import dev.tend.machine.spi.WatcherLane;
import dev.tend.units.Durations;
import dev.tend.watchers.noop.NoopNotice;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code plugins} (or {@code machines}) watcher: runs at start, every interval (when set), on every state change, and
 * {@link #DATA_DEBOUNCE} after its data item changed in the machine's data (a burst of changes within it gives one run).
 * Started without a specification in its data, it runs a run's code once on a made-up one ({@link WarmUp}), so that
 * the first real run does not pay for it.
 * Inactive, a run records {@code skipped} and nothing else. Active: it reads and checks the specification from its data
 * item (on the lane: machine data is in memory), then, as blocking work, evaluates each item's matcher, removes (with
 * {@code purge_unknown}) the manager machines not wanted, waits {@link #PURGE_PAUSE} so that the agent stops them,
 * removes what they managed, and writes the manager machine of each matching item whose file differs. The outcome is
 * {@code updated} (something written or purged: state event and {@code success_transition}), {@code unchanged}
 * (nothing), or {@code error} (state event and {@code fail_transition}). A run asked for while one is under way runs
 * when it ends. In noop mode nothing is removed or written: each removal and each manager machine that would be written
 * is logged ({@code noop: would ...}), and the outcome is {@code updated} when there was any, as if they had been done,
 * unless the last run would have done the same (then {@code unchanged}, as a real run would find it done).
 *
 * <p>Everything here runs on the watcher's lane; the file system work runs as blocking work and its results come back
 * to the lane, so the fields need no lock.
 */
final class ManagingWatcher implements Watcher {

    /** How long the reference waits after removing manager machines before removing what they managed. */
    static final Duration PURGE_PAUSE = Duration.ofSeconds(2);

    /** How long a change of the data item waits before the run it causes, so that a burst of changes gives one run. */
    static final Duration DATA_DEBOUNCE = Duration.ofMillis(200);

    private final WatcherContext context;
    private final ManagerSettings settings;
    private final NodeMatcher matcher;
    private final Duration interval;
    private final ManagerDirectories directories;
    private final Path managed;

    private ManagerOutcome previous = ManagerOutcome.UNKNOWN;
    private List<String> previousNames = List.of();
    private long previousRunNanos;
    private String lastProblem = "";
    private boolean running;
    private boolean again;
    private boolean stopped;
    private WatcherLane.Scheduled ticks;
    private WatcherLane.Scheduled pause;
    private WatcherLane.Scheduled debounce;
    /** Noop mode: what the last run would have done (logged then); the same again is no change. */
    private List<String> lastWouldDo = List.of();
    /** The data item's value when the last run began (null: absent); a change notice for the same value runs nothing. */
    private Object seen;

    ManagingWatcher(WatcherContext context, ManagerSettings settings, NodeMatcher matcher) {
        this.context = context;
        this.settings = settings;
        this.matcher = matcher;
        this.interval = context.definition().interval();
        Path machines = context.machineDirectory().toAbsolutePath().normalize().getParent();
        this.managed = settings.pluginsDirectory().orElse(machines);
        this.directories = new ManagerDirectories(machines, managed, settings.prefix());
    }

    @Override
    public void start() {
        if (stopped) {
            return;
        }
        if (!interval.isZero()) {
            ticks = context.lane().every(interval, this::run);
        }
        run();
        if (seen == null && !stopped) { // no specification yet: run its code once meanwhile (WarmUp)
            String identity = context.identity();
            context.lane().runBlocking(() -> {
                WarmUp.run(settings, matcher, identity, managed.toString());
                return null;
            }, (nothing, failure) -> {
                if (failure != null && !(failure instanceof java.util.concurrent.RejectedExecutionException)) {
                    context.logger().debug("warming up failed: {}", failure.toString());
                }
            });
        }
    }

    @Override
    public void stateChanged() {
        run();
    }

    @Override
    public void dataChanged() {
        if (stopped || debounce != null || !itemChanged()) {
            return;
        }
        debounce = context.lane().schedule(DATA_DEBOUNCE, () -> {
            debounce = null;
            if (itemChanged()) {
                run();
            }
        });
    }

    private boolean itemChanged() {
        return !Objects.equals(seen, context.data().get(settings.dataItem()).orElse(null));
    }

    @Override
    public void stop() {
        stopped = true;
        if (debounce != null) {
            debounce.cancel();
            debounce = null;
        }
        if (ticks != null) {
            ticks.cancel();
            ticks = null;
        }
        if (pause != null) {
            pause.cancel();
            pause = null;
        }
    }

    @Override
    public Map<String, Object> currentState() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(settings.form().type(), previousNames);
        fields.put("previous_outcome", previous.text());
        fields.put("previous_run_time", previousRunNanos);
        return fields;
    }

    private void run() {
        if (stopped) {
            return;
        }
        if (running) {
            again = true;
            return;
        }
        seen = context.data().get(settings.dataItem()).orElse(null);
        if (!context.isActive()) {
            previous = ManagerOutcome.SKIPPED;
            return;
        }
        Instant started = context.clock().instant();
        List<PluginItem> items;
        try {
            items = desired();
        } catch (InvalidSpecException e) {
            if (e.deletesData()) {
                context.data().delete(settings.dataItem());
            }
            finish(started, ManagerOutcome.ERROR, e.getMessage());
            return;
        }
        previousNames = items.stream().map(PluginItem::name).toList();
        running = true;
        String identity = context.identity();
        Map<String, Object> facts = context.facts();
        context.lane().runBlocking(() -> purgeManagers(items, identity, facts), (first, failure) -> {
            if (failure != null || stopped) {
                done(started, failure);
                return;
            }
            if (first.removed().isEmpty()) {
                secondPhase(started, first);
            } else {
                pause = context.lane().schedule(PURGE_PAUSE, () -> {
                    pause = null;
                    secondPhase(started, first);
                });
            }
        });
    }

    private List<PluginItem> desired() throws InvalidSpecException {
        Optional<Object> value = context.data().get(settings.dataItem());
        if (value.isEmpty()) {
            throw new InvalidSpecException("data item " + settings.dataItem() + " not present", false);
        }
        Optional<String> key = context.machineSigningKey().filter(k -> !k.isEmpty())
                .or(() -> Optional.of(settings.publicKey()).filter(k -> !k.isEmpty()));
        return SpecReader.read(settings.form(), value.get(), key);
    }

    /**
     * What the first phase did: the matching items, and the manager machines it removed (in noop mode none: what it
     * would have removed is in {@code wouldDo}, e.g. {@code remove manager machine ...}).
     */
    private record FirstPhase(List<PluginItem> matching, List<String> removed, List<String> problems,
                              List<String> wouldDo) {
    }

    private FirstPhase purgeManagers(List<PluginItem> items, String identity, Map<String, Object> facts)
            throws IOException {
        List<PluginItem> matching = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (PluginItem item : items) {
            try {
                if (matcher.matches(item.match(), identity, facts)) {
                    matching.add(item);
                }
            } catch (NodeMatcher.MatchException e) {
                problems.add("could not match " + item.name() + " to this node: " + e.getMessage());
            }
        }
        List<String> removed = new ArrayList<>();
        List<String> wouldDo = new ArrayList<>();
        if (settings.purgeUnknown()) {
            List<String> wanted = matching.stream().map(PluginItem::name).toList();
            for (String name : directories.current()) {
                if (wanted.contains(name)) {
                    continue;
                }
                if (context.noop()) {
                    wouldDo.add("remove manager machine " + directories.managerDirectory(name) + " and "
                            + directories.managedDirectory(name));
                    continue;
                }
                try {
                    directories.removeManager(name);
                    removed.add(name);
                } catch (IOException e) {
                    problems.add("could not remove " + directories.managerDirectory(name) + ": " + e.getMessage());
                }
            }
        }
        return new FirstPhase(List.copyOf(matching), List.copyOf(removed), List.copyOf(problems), List.copyOf(wouldDo));
    }

    private void secondPhase(Instant started, FirstPhase first) {
        first.problems().forEach(p -> context.logger().warn("{}", p));
        first.removed().forEach(name -> context.logger().warn("removed manager machine {}_{}: not in the"
                + " specification, or not matching this node", settings.prefix(), name));
        if (stopped) {
            done(started, null);
            return;
        }
        context.lane().runBlocking(() -> writeManagers(first), (outcome, failure) -> {
            if (failure != null) {
                done(started, failure);
            } else {
                outcome.problems().forEach(p -> context.logger().warn("{}", p));
                outcome.written().forEach(name -> context.logger().warn("deploying {} from {} into {}", name,
                        first.matching().stream().filter(i -> i.name().equals(name)).findFirst()
                                .map(i -> shown(i.source())).orElse(""), managed));
                running = false;
                finish(started, outcome.purged() || !outcome.written().isEmpty() || noopChanged(outcome.wouldDo())
                        ? ManagerOutcome.UPDATED : ManagerOutcome.UNCHANGED, "");
                runAgainIfAsked();
            }
        });
    }

    /** What the second phase did; in noop mode, {@code wouldDo}: what both phases would have done instead. */
    private record SecondPhase(boolean purged, List<String> written, List<String> problems, List<String> wouldDo) {
    }

    /**
     * Noop mode: logs what would have been done, and tells whether it counts as a change, when it differs from what the
     * last run would have done. The same again is no change: a real run would have found it done, and reporting it
     * again would fire {@code success_transition} on every run, each transition causing the next.
     */
    private boolean noopChanged(List<String> wouldDo) {
        if (wouldDo.equals(lastWouldDo)) {
            wouldDo.forEach(w -> context.logger().debug("noop: would {} (as on the last run)", w));
            return false;
        }
        lastWouldDo = wouldDo;
        wouldDo.forEach(w -> NoopNotice.wouldDo(context, w));
        return !wouldDo.isEmpty();
    }

    private SecondPhase writeManagers(FirstPhase first) throws IOException {
        List<String> problems = new ArrayList<>();
        boolean purged = false;
        for (String name : first.removed()) {
            try {
                directories.removeManaged(name);
                purged = true;
            } catch (IOException e) {
                problems.add("could not remove " + directories.managedDirectory(name) + ": " + e.getMessage());
            }
        }
        String manageInterval = Durations.format(settings.manageInterval());
        List<String> written = new ArrayList<>();
        List<String> wouldDo = new ArrayList<>(first.wouldDo());
        for (PluginItem item : first.matching()) {
            String yaml = ManagerMachineYaml.render(settings.form(), settings.prefix(), item, manageInterval,
                    managed.toString());
            try {
                if (context.noop()) {
                    if (directories.differs(item.name(), yaml)) {
                        wouldDo.add("write manager machine " + directories.managerDirectory(item.name())
                                .resolve(ManagerDirectories.MACHINE_FILE) + " to deploy " + shown(item.source())
                                + " into " + managed);
                    }
                } else if (directories.write(item.name(), yaml)) {
                    written.add(item.name());
                }
            } catch (IOException e) {
                problems.add("could not write the manager machine of " + item.name() + ": " + e.getMessage());
            }
        }
        return new SecondPhase(purged, List.copyOf(written), List.copyOf(problems), List.copyOf(wouldDo));
    }

    /** A phase failed as a whole (the machines directory could not be listed) or the watcher stopped. */
    private void done(Instant started, Throwable failure) {
        running = false;
        if (stopped) {
            return;
        }
        String message = failure instanceof IOException ? failure.getMessage() : String.valueOf(failure);
        finish(started, ManagerOutcome.ERROR, "could not manage the machines directory: " + message);
        runAgainIfAsked();
    }

    private void runAgainIfAsked() {
        if (again) {
            again = false;
            run();
        }
    }

    private void finish(Instant started, ManagerOutcome outcome, String problem) {
        previous = outcome;
        previousRunNanos = Duration.between(started, context.clock().instant()).toNanos();
        context.recordRun(new WatcherRun(outcome.text(), null, started, Duration.ofNanos(previousRunNanos), problem));
        switch (outcome) {
            case ERROR -> {
                if (!problem.equals(lastProblem)) { // once per distinct problem: it comes back on every run
                    context.logger().error("managing {} failed: {}", settings.form().type(), problem);
                    lastProblem = problem;
                } else {
                    context.logger().debug("managing {} failed: {}", settings.form().type(), problem);
                }
                context.publishState(currentState());
                context.fireFail();
            }
            case UPDATED -> {
                lastProblem = "";
                context.publishState(currentState());
                context.fireSuccess();
            }
            default -> lastProblem = "";
        }
    }

    /** A source as logged: without a user, password or query (a token in a presigned URL), or not at all. */
    static String shown(String source) {
        try {
            java.net.URI uri = new java.net.URI(source);
            if (uri.getRawUserInfo() == null && uri.getRawQuery() == null) {
                return source;
            }
            return new java.net.URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                    .toString();
        } catch (java.net.URISyntaxException e) {
            return "(a source that is not a URI)";
        }
    }
}
