package dev.tend.watchers.archive;

import dev.tend.machine.spi.ProblemReporter;
import dev.tend.machine.spi.PropertySpec;
import dev.tend.machine.spi.PropertyType;
import dev.tend.machine.spi.Watcher;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.machine.spi.WatcherDefinition;
import dev.tend.machine.spi.WatcherFactory;
import dev.tend.machine.spi.WatcherProperties;
import dev.tend.units.Durations;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import static dev.tend.watchers.archive.ArchiveProperties.CHECKSUM;
import static dev.tend.watchers.archive.ArchiveProperties.CREATES;
import static dev.tend.watchers.archive.ArchiveProperties.GOVERNOR;
import static dev.tend.watchers.archive.ArchiveProperties.GOVERNOR_TIMEOUT;
import static dev.tend.watchers.archive.ArchiveProperties.INSECURE;
import static dev.tend.watchers.archive.ArchiveProperties.MIN_INTERVAL;
import static dev.tend.watchers.archive.ArchiveProperties.MIN_TIMEOUT;
import static dev.tend.watchers.archive.ArchiveProperties.PASSWORD;
import static dev.tend.watchers.archive.ArchiveProperties.SOURCE;
import static dev.tend.watchers.archive.ArchiveProperties.TARGET;
import static dev.tend.watchers.archive.ArchiveProperties.TIMEOUT;
import static dev.tend.watchers.archive.ArchiveProperties.USERNAME;
import static dev.tend.watchers.archive.ArchiveProperties.VERIFY;
import static dev.tend.watchers.archive.ArchiveProperties.VERIFY_CHECKSUM;

/**
 * The {@code archive} watcher type: keeps a directory unpacked from a {@code tar.gz} ({@code http://},
 * {@code https://}, {@code file://} or {@code kv://}) in place under a target directory. See {@link ArchiveWatcher}.
 */
public final class ArchiveWatcherFactory implements WatcherFactory {

    public static final String TYPE = "archive";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private static final List<PropertySpec> PROPERTIES = List.of(
            PropertySpec.of(SOURCE, PropertyType.STRING).required().templated()
                    .describedAs("where the tar.gz is: http://, https://, file:///PATH or kv://BUCKET/KEY (the value"
                            + " of a key in the agent's store)"),
            PropertySpec.of(CHECKSUM, PropertyType.STRING).required().templated()
                    .describedAs("the SHA-256 of the archive, 64 hexadecimal digits; an archive that does not match"
                            + " is not extracted"),
            PropertySpec.of(CREATES, PropertyType.STRING).required()
                    .describedAs("the one directory the archive holds, kept as TARGET/CREATES (a single name, not"
                            + " tmp)"),
            PropertySpec.of(TARGET, PropertyType.STRING).required()
                    .describedAs("the directory CREATES goes into, created (0700) when missing; a relative path is"
                            + " taken from the machine's directory"),
            PropertySpec.of(VERIFY, PropertyType.STRING)
                    .describedAs("a sha256sum file inside CREATES: every file it lists must match, at each run and"
                            + " before a new copy is swapped in"),
            PropertySpec.of(VERIFY_CHECKSUM, PropertyType.STRING).templated()
                    .describedAs("the SHA-256 of the verify file (required with verify)"),
            PropertySpec.of(USERNAME, PropertyType.STRING).templated()
                    .describedAs("HTTP basic authentication's user (then redirects are not followed)"),
            PropertySpec.of(PASSWORD, PropertyType.STRING).templated()
                    .describedAs("HTTP basic authentication's password (required with username)"),
            PropertySpec.of(TIMEOUT, PropertyType.DURATION).withDefault(MIN_TIMEOUT)
                    .describedAs("how long fetching the archive may take (at least 5s, the default)"),
            PropertySpec.of(INSECURE, PropertyType.BOOLEAN).withDefault(false)
                    .describedAs("do not check https servers' certificates and host names"),
            PropertySpec.of(GOVERNOR, PropertyType.STRING).templated()
                    .describedAs("the concurrency governor (tend governor add) whose slot a deployment waits for and"
                            + " holds while it fetches and unpacks, in the agent's store; empty: none"),
            PropertySpec.of(GOVERNOR_TIMEOUT, PropertyType.DURATION)
                    .withDefault(ArchiveProperties.DEFAULT_GOVERNOR_TIMEOUT)
                    .describedAs("with a governor: how long a deployment waits for a slot before it fails (0: the"
                            + " default, 5m)"));

    private final ArchiveSettings settings;
    /** One deployment at a time per target/creates, among this factory's watchers. */
    private final DeploymentQueue queue = new DeploymentQueue();

    /** For {@link java.util.ServiceLoader}: the agent's settings. */
    public ArchiveWatcherFactory() {
        this(ArchiveSettings.defaults());
    }

    ArchiveWatcherFactory(ArchiveSettings settings) {
        this.settings = settings;
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
        Duration interval = watcher.interval();
        if (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0) {
            problems.report(null, "interval " + Durations.format(interval) + " is too short for an archive watcher:"
                    + " the minimum is " + Durations.format(MIN_INTERVAL) + " (without an interval it runs at start"
                    + " and on state changes)");
        }
        checkSource(p.string(SOURCE), problems);
        checkSha256(p, CHECKSUM, problems);
        checkSha256(p, VERIFY_CHECKSUM, problems);
        checkCreates(p.string(CREATES), problems);
        String target = p.string(TARGET);
        if (target != null && target.contains("{{")) {
            problems.warn(TARGET, "is not a template (nor is it in Choria): used as written");
        }
        checkVerify(p, problems);
        if (!blank(p.string(USERNAME)) && blank(p.string(PASSWORD))) {
            problems.report(PASSWORD, "is required when username is given");
        } else if (blank(p.string(USERNAME)) && !blank(p.string(PASSWORD))) {
            problems.warn(PASSWORD, "has no effect without username");
        }
        Duration timeout = p.duration(TIMEOUT);
        if (p.isSet(TIMEOUT) && !timeout.isZero() && timeout.compareTo(MIN_TIMEOUT) < 0) {
            problems.warn(TIMEOUT, Durations.format(timeout) + " is raised to the minimum, "
                    + Durations.format(MIN_TIMEOUT));
        }
        if (timeout.isNegative()) {
            problems.report(TIMEOUT, "cannot be negative");
        }
        checkGovernor(p, problems);
    }

    private static void checkSource(String source, ProblemReporter problems) {
        if (blank(source) || source.contains("{{")) {
            return;
        }
        String s = source.strip();
        if (KvArchiveSource.isKv(s)) {
            try {
                KvArchiveSource.parse(s);
            } catch (ArchiveFailure f) {
                problems.report(SOURCE, f.getMessage());
            }
            return;
        }
        URI uri;
        try {
            uri = new URI(s);
        } catch (URISyntaxException e) {
            problems.report(SOURCE, "is not a valid URL: " + e.getReason());
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "http", "https" -> {
                if (uri.getHost() == null) {
                    problems.report(SOURCE, SourceFetcher.redacted(uri) + " has no host");
                }
            }
            case "file" -> {
                if (uri.getAuthority() != null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    problems.report(SOURCE, s + " is not a file URL of an absolute path (file:///PATH)");
                }
            }
            default -> problems.report(SOURCE, SourceFetcher.redacted(uri)
                    + " is not supported: use http://, https://, file:///PATH or kv://BUCKET/KEY");
        }
    }

    private static void checkSha256(WatcherProperties p, String name, ProblemReporter problems) {
        String value = p.string(name);
        if (!blank(value) && !value.contains("{{") && !SHA256.matcher(value.strip()).matches()) {
            problems.report(name, "is not a SHA-256: give 64 hexadecimal digits");
        }
    }

    private static void checkCreates(String creates, ProblemReporter problems) {
        if (blank(creates)) {
            return;
        }
        String c = creates.strip();
        if (c.contains("/") || c.equals(".") || c.equals("..") || c.equals("tmp")) {
            problems.report(CREATES, "must be one directory name (not ., .. or tmp, which the watcher uses for its"
                    + " downloads), got \"" + c + "\"");
        } else if (c.contains("{{")) {
            problems.warn(CREATES, "is not a template (nor is it in Choria): used as written");
        }
    }

    private static void checkVerify(WatcherProperties p, ProblemReporter problems) {
        String verify = p.string(VERIFY);
        boolean hasVerify = !blank(verify);
        boolean hasChecksum = !blank(p.string(VERIFY_CHECKSUM));
        if (hasVerify && !hasChecksum) {
            problems.report(VERIFY_CHECKSUM, "is required when verify is set");
        } else if (!hasVerify && hasChecksum) {
            problems.report(VERIFY_CHECKSUM, "needs verify, the name of the sums file it is the checksum of");
        }
        if (hasVerify) {
            String v = verify.strip();
            if (v.startsWith("/") || List.of(v.split("/")).contains("..")) {
                problems.report(VERIFY, "must be a file inside creates (no leading / and no ..), got \"" + v + "\"");
            }
        }
    }

    /** A governor name without templates is checked now; one with templates at each deployment. */
    private static void checkGovernor(WatcherProperties p, ProblemReporter problems) {
        String governor = p.string(GOVERNOR);
        if (blank(governor)) {
            if (p.isSet(GOVERNOR_TIMEOUT)) {
                problems.warn(GOVERNOR_TIMEOUT, "has no effect without a governor");
            }
            return;
        }
        if (!governor.contains("{{")) {
            ArchiveGovernor.nameProblem(governor.strip()).ifPresent(problem -> problems.report(GOVERNOR, problem));
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public Watcher create(WatcherContext context) {
        return new ArchiveWatcher(context, ArchiveProperties.of(context.definition().properties(),
                context.machineDirectory()), settings, queue);
    }
}
