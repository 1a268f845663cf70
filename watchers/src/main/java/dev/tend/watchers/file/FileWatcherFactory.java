package dev.tend.watchers.file;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.units.Durations;
import dev.tend.watchers.noop.NoopNotice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code file} watcher type: reports changes of a file's modification time, or, with {@code contents}, keeps the
 * file's content, mode, owner and group as rendered from templates (docs/watchers.md, section {@code file}).
 */
public final class FileWatcherFactory implements WatcherFactory {

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final Duration MIN_INTERVAL = Duration.ofMillis(500);

    private static final String TYPE = "file";
    private static final List<String> MANAGING = List.of("owner", "group", "mode");

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<PropertySpec> properties() {
        return List.of(
                PropertySpec.of("path", PropertyType.STRING).required()
                        .describedAs("the file; a relative path is relative to the machine directory"),
                PropertySpec.of("gather_initial_state", PropertyType.BOOLEAN).withDefault(false)
                        .describedAs("remember the file's modification time at start, so that the first check "
                                + "reports only a later change"),
                PropertySpec.of("contents", PropertyType.STRING).withAliases("content").templated()
                        .describedAs("manage the file: the content it must have (needs mode)"),
                PropertySpec.of("owner", PropertyType.STRING).templated()
                        .describedAs("user name that owns a managed file, with group (changed only when both render "
                                + "non-empty; without them the file belongs to the agent's user)"),
                PropertySpec.of("group", PropertyType.STRING).templated()
                        .describedAs("group name of a managed file, with owner"),
                PropertySpec.of("mode", PropertyType.STRING).templated()
                        .describedAs("permissions of a managed file, octal as for chmod: \"0644\" or \"644\""));
    }

    @Override
    public void validate(WatcherDefinition watcher, ProblemReporter problems) {
        Duration interval = watcher.interval();
        if (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0) {
            problems.report(null, "interval must be at least " + Durations.format(MIN_INTERVAL) + ", not "
                    + Durations.format(interval));
        }
        WatcherProperties p = watcher.properties();
        if (managing(p)) {
            // The reference requires owner and group too; Tend lets a file belong to the agent's user (a non-root
            // agent cannot chown anyway), but one without the other is surely a mistake.
            if (blank(p.string("mode"))) {
                problems.report(null, "property \"mode\" is required when contents is set");
            }
            if (blank(p.string("owner")) != blank(p.string("group"))) {
                problems.report(blank(p.string("owner")) ? "group" : "owner",
                        "owner and group go together: set both, or neither to leave the file to the agent's user");
            }
            String mode = p.string("mode");
            if (!blank(mode) && !mode.contains("{{")) {
                try {
                    FileMode.parse(mode);
                } catch (IllegalArgumentException e) {
                    problems.report("mode", e.getMessage());
                }
            }
        } else {
            for (String name : MANAGING) {
                if (p.isSet(name)) {
                    problems.report(name, "applies only to a managed file: set contents too");
                }
            }
        }
    }

    @Override
    public Watcher create(WatcherContext context) {
        WatcherProperties p = context.definition().properties();
        Path path = context.machineDirectory().resolve(p.string("path")).toAbsolutePath().normalize();
        FileCheck check = managing(p)
                ? new ManagedContent(path, context.templates(), p.string("contents"), p.string("owner"),
                p.string("group"), p.string("mode"), context.noop() ? what -> NoopNotice.wouldDo(context, what) : null)
                : new ChangeDetection(path);
        Duration interval = context.definition().interval().isZero() ? DEFAULT_INTERVAL : context.definition().interval();
        return new FileWatcher(context, path, interval, p.bool("gather_initial_state"), check);
    }

    /** As the reference: an empty {@code contents} means the file is only watched. */
    private static boolean managing(WatcherProperties p) {
        return !blank(p.string("contents"));
    }

    private static boolean blank(String text) {
        return text == null || text.isEmpty();
    }
}
