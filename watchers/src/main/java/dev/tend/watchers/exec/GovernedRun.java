package dev.tend.watchers.exec;

import dev.tend.governor.Governor;
import dev.tend.governor.GovernorTimeoutException;
import dev.tend.governor.Governors;
import dev.tend.governor.Lease;
import dev.tend.governor.UnknownGovernorException;
import dev.tend.kv.InvalidNameException;
import dev.tend.kv.KvException;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.units.Durations;
import dev.tend.watchers.process.MessageQuotes;
import dev.tend.watchers.process.RunFailure;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * An exec run's slot in its {@code governor}, in the agent's store ({@code context.store()}): the name rendered as a
 * template at each run, a wait of up to {@code governor_timeout}, and the release after the command. What the reference
 * publishes as governor lifecycle events (enter, exit, timeout) is logged: INFO for a slot obtained and vacated, WARN
 * for a wait that failed; the failed run itself is an {@code error}, published and fired as any other.
 */
final class GovernedRun {

    private GovernedRun() {
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
     * Waits for a slot. Blocks: called from the run's waiting work.
     *
     * @throws RunFailure            no slot: the reason, one line
     * @throws CancellationException the watcher stopped meanwhile
     */
    static Lease enter(ExecProperties properties, WatcherContext context, CompletableFuture<Void> stopped)
            throws RunFailure {
        String name;
        try {
            name = context.templates().render(properties.governor()).strip();
        } catch (TemplateException e) {
            throw new RunFailure("cannot render the governor name: " + e.getMessage());
        }
        Optional<String> problem = nameProblem(name);
        if (problem.isPresent()) {
            throw new RunFailure("the governor " + MessageQuotes.quote(name) + " rendered from "
                    + MessageQuotes.quote(properties.governor()) + ": " + problem.get());
        }
        String holder = context.machineName() + "#" + context.definition().name() + " @ " + context.identity();
        String timeout = Durations.format(properties.governorTimeout());
        try {
            Governor governor = Governors.builder(context.store()).clock(context.clock()).build().governor(name);
            context.logger().info("obtaining a slot in governor {}, waiting up to {}", name, timeout);
            Lease lease = governor.enter(holder, properties.governorTimeout(), stopped);
            context.logger().info("obtained slot {} on governor {}", lease.slot(), name);
            return lease;
        } catch (GovernorTimeoutException e) {
            context.logger().warn("failed to obtain a slot on governor {} within {}", name, timeout);
            throw new RunFailure("could not obtain a slot in governor " + name + " within " + timeout);
        } catch (UnknownGovernorException e) {
            throw new RunFailure("unknown governor " + name + " (tend governor add " + name + " CAPACITY creates it)");
        } catch (KvException e) {
            throw new RunFailure("cannot enter governor " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for governor " + name);
        }
    }

    /** Releases the slot after the command. */
    static void exit(Lease lease, WatcherContext context) {
        try {
            if (lease.release()) {
                context.logger().info("vacated slot {} on governor {}", lease.slot(), lease.governor());
            } else {
                context.logger().warn("slot {} on governor {} was no longer ours when the command ended (held longer"
                        + " than the governor's hold time and taken over, or evicted)", lease.slot(),
                        lease.governor());
            }
        } catch (KvException e) {
            context.logger().warn("cannot release slot {} on governor {}: {}; it is freed after the governor's hold"
                    + " time", lease.slot(), lease.governor(), e.getMessage());
        }
    }
}
