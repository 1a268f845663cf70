package dev.tend.watchers.archive;

import dev.tend.governor.Lease;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.watchers.noop.NoopNotice;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One run of an archive watcher, blocking (it runs as waiting work, off the watcher's lane). As the reference: look at
 * {@code target/creates} (rendering {@code verify_checksum} when {@code verify} is set); in place and matching its sums
 * file is {@code verified}. Otherwise deploy: render {@code source}, {@code checksum}, {@code username},
 * {@code password} and {@code governor}, take the governor's slot when there is one, wait for any other deployment to
 * the same {@code target/creates} of this agent, look again (in place and matching now, because that deployment
 * installed it: {@code verified}), then fetch, verify, extract and swap in ({@link ArchiveInstaller}):
 * {@code downloaded}, or {@code error} with a one-line reason and nothing changed in {@code target}. In noop mode a
 * deployment stops once its properties are rendered and checked: it is logged ({@code noop: would deploy ...}), nothing
 * is fetched, no governor's slot is taken, and the outcome is {@code downloaded}, as if it had been.
 */
final class ArchiveRun {

    /**
     * What a run gave.
     *
     * @param outcome    {@code verified}, {@code downloaded} or {@code error}; null when a stop cut the run short
     * @param reason     for an error, why (one line); empty otherwise
     * @param source     the rendered source, for the state event; null when the run did not render it
     * @param tookNanos  how long the run took
     */
    record Result(ArchiveOutcome outcome, String reason, String source, long tookNanos) {
        boolean isStopped() {
            return outcome == null;
        }
    }

    private final ArchiveProperties properties;
    private final WatcherContext context;
    private final ArchiveSettings settings;
    private final ArchiveInstaller installer;
    private final DeploymentQueue queue;
    private final CompletableFuture<Void> stopping;
    private String renderedSource;

    ArchiveRun(ArchiveProperties properties, WatcherContext context, ArchiveSettings settings,
               ArchiveInstaller installer, DeploymentQueue queue, CompletableFuture<Void> stopping) {
        this.properties = properties;
        this.context = context;
        this.settings = settings;
        this.installer = installer;
        this.queue = queue;
        this.stopping = stopping;
    }

    Result run() {
        Instant begin = context.clock().instant();
        ArchiveOutcome outcome;
        String reason = "";
        try {
            outcome = execute();
        } catch (ArchiveFailure f) {
            outcome = ArchiveOutcome.ERROR;
            reason = f.getMessage();
        } catch (CancellationException e) {
            outcome = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = null;
        }
        long took = Math.max(0, Duration.between(begin, context.clock().instant()).toNanos());
        return new Result(outcome, reason, renderedSource == null ? null : shown(renderedSource), took);
    }

    private ArchiveOutcome execute() throws ArchiveFailure, InterruptedException {
        String verifyChecksum = "";
        if (properties.hasVerify()) {
            verifyChecksum = renderRequired(ArchiveProperties.VERIFY_CHECKSUM, properties.verifyChecksum()).strip();
        }
        Path creates = properties.createsPath();
        InstalledState state = ArchiveInstaller.check(creates, properties.verify(), verifyChecksum);
        if (state.verified()) {
            context.logger().debug("{} verified", creates);
            return ArchiveOutcome.VERIFIED;
        }
        if (!context.noop()) {
            context.logger().info("deploying {}: {}", creates, state.detail());
        }
        renderedSource = renderRequired(ArchiveProperties.SOURCE, properties.source()).strip();
        String checksum = renderRequired(ArchiveProperties.CHECKSUM, properties.checksum()).strip();
        String username = null;
        String password = null;
        if (properties.hasUsername()) {
            username = render(ArchiveProperties.USERNAME, properties.username());
            password = render(ArchiveProperties.PASSWORD, properties.password());
            if (username.isEmpty()) {
                username = null; // rendered empty: no authentication, as for no username
                password = null;
            }
        }
        ArchiveSpec spec;
        try {
            spec = new ArchiveSpec(renderedSource, checksum, properties.creates(), properties.target(),
                    properties.verify(), verifyChecksum, new FetchSettings(properties.timeout(), username, password,
                    properties.insecure(), settings.limits().archiveBytes()), settings.limits());
        } catch (IllegalArgumentException e) {
            throw new ArchiveFailure(e.getMessage());
        }
        if (context.noop()) {
            NoopNotice.wouldDo(context, "deploy " + shown(renderedSource) + " to " + creates + " (" + state.detail()
                    + ")");
            return ArchiveOutcome.DOWNLOADED; // as if it had been: the machine goes on as after a deployment
        }
        Lease lease = null;
        if (properties.hasGovernor()) {
            String governor = render(ArchiveProperties.GOVERNOR, properties.governor()).strip();
            if (!governor.isEmpty()) {
                lease = ArchiveGovernor.enter(governor, properties.governorTimeout(), context, stopping);
            }
        }
        try (DeploymentQueue.Turn turn = queue.await(creates, stopping)) {
            // In turn, so that a watcher that waited for another's deployment of the same directory does not redeploy
            // what that one just installed.
            InstalledState now = ArchiveInstaller.check(creates, properties.verify(), verifyChecksum);
            if (now.verified()) {
                context.logger().info("{} verified: deployed meanwhile by another watcher", creates);
                return ArchiveOutcome.VERIFIED;
            }
            installer.deploy(spec, stopping);
        } finally {
            if (lease != null) {
                ArchiveGovernor.exit(lease, context);
            }
        }
        context.logger().info("archive {} was deployed to {}", shown(renderedSource), creates);
        return ArchiveOutcome.DOWNLOADED;
    }

    private String render(String property, String template) throws ArchiveFailure {
        try {
            return context.templates().render(template);
        } catch (TemplateException e) {
            throw new ArchiveFailure("cannot render " + property + ": " + e.getMessage());
        }
    }

    /** As the reference: a template that renders empty is an error. */
    private String renderRequired(String property, String template) throws ArchiveFailure {
        String value = render(property, template);
        if (value.isBlank()) {
            throw new ArchiveFailure(property + " rendered empty from \"" + template + "\"");
        }
        return value;
    }

    /** {@code source} without user information (a password in the URL stays out of events and logs). */
    static String shown(String source) {
        try {
            return SourceFetcher.redacted(new URI(source));
        } catch (URISyntaxException e) {
            return source;
        }
    }
}
