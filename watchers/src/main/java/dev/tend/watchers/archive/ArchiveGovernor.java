package dev.tend.watchers.archive;

import dev.tend.governor.Governor;
import dev.tend.governor.GovernorTimeoutException;
import dev.tend.governor.Governors;
import dev.tend.governor.Lease;
import dev.tend.governor.UnknownGovernorException;
import dev.tend.kv.InvalidNameException;
import dev.tend.kv.KvException;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.units.Durations;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A deployment's slot in its {@code governor}, in the agent's store ({@code context.store()}), as exec's runs take
 * theirs: a wait of up to {@code governor_timeout}, the slot held while the archive is fetched, extracted and swapped
 * in, and released after. Obtaining and vacating a slot are logged at INFO, a failed wait at WARN; a deployment
 * without a slot is an {@code error}.
 */
final class ArchiveGovernor {

    private ArchiveGovernor() {
    }

    /** Why {@code name} cannot name a governor, or empty. */
    static Optional<String> nameProblem(String name) {
        try {
            Governors.checkName(name);
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Waits for a slot in governor {@code name} (rendered). Blocks: called from the run's waiting work.
     *
     * @throws ArchiveFailure        no slot: the reason, one line
     * @throws CancellationException the watcher stopped meanwhile
     */
    static Lease enter(String name, Duration timeout, WatcherContext context, CompletableFuture<Void> stopping)
            throws ArchiveFailure {
        Optional<String> problem = nameProblem(name);
        if (problem.isPresent()) {
            throw new ArchiveFailure("governor \"" + name + "\": " + problem.get());
        }
        String holder = context.machineName() + "#" + context.definition().name() + " @ " + context.identity();
        String wait = Durations.format(timeout);
        try {
            Governor governor = Governors.builder(context.store()).clock(context.clock()).build().governor(name);
            context.logger().info("obtaining a slot in governor {}, waiting up to {}", name, wait);
            Lease lease = governor.enter(holder, timeout, stopping);
            context.logger().info("obtained slot {} on governor {}", lease.slot(), name);
            return lease;
        } catch (GovernorTimeoutException e) {
            context.logger().warn("failed to obtain a slot on governor {} within {}", name, wait);
            throw new ArchiveFailure("could not obtain a slot in governor " + name + " within " + wait);
        } catch (UnknownGovernorException e) {
            throw new ArchiveFailure("unknown governor " + name + " (tend governor add " + name
                    + " CAPACITY creates it)");
        } catch (KvException e) {
            throw new ArchiveFailure("cannot enter governor " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for governor " + name);
        }
    }

    /** Releases the slot after the deployment. */
    static void exit(Lease lease, WatcherContext context) {
        try {
            if (lease.release()) {
                context.logger().info("vacated slot {} on governor {}", lease.slot(), lease.governor());
            } else {
                context.logger().warn("slot {} on governor {} was no longer ours when the deployment ended (held"
                        + " longer than the governor's hold time and taken over, or evicted)", lease.slot(),
                        lease.governor());
            }
        } catch (KvException e) {
            context.logger().warn("cannot release slot {} on governor {}: {}; it is freed after the governor's hold"
                    + " time", lease.slot(), lease.governor(), e.getMessage());
        }
    }
}
