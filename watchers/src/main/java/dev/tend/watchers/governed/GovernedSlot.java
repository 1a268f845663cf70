package dev.tend.watchers.governed;

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
 * Enters and leaves a governor for one run of a watcher's work (exec's command, archive's deployment), in the agent's
 * store ({@code context.store()}) on the watcher's clock. The holder is {@code machine#watcher @ identity}.
 */
public final class GovernedSlot {

    private GovernedSlot() {
    }

    /** Why {@code name} cannot name a governor, or empty. */
    public static Optional<String> nameProblem(String name) {
        try {
            Governors.checkName(name);
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Waits up to {@code timeout} for a slot in governor {@code name}, whose name the caller checked
     * ({@link #nameProblem}). Blocks: called from the run's waiting work.
     *
     * @param stopping completed when the watcher stops: the wait is given up
     * @throws NoSlotException       no slot: the reason, one line
     * @throws CancellationException the watcher stopped meanwhile
     */
    public static Lease enter(String name, Duration timeout, WatcherContext context, CompletableFuture<Void> stopping)
            throws NoSlotException {
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
            throw new NoSlotException("could not obtain a slot in governor " + name + " within " + wait);
        } catch (UnknownGovernorException e) {
            throw new NoSlotException("unknown governor " + name + " (tend governor add " + name
                    + " CAPACITY creates it)");
        } catch (KvException e) {
            throw new NoSlotException("cannot enter governor " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for governor " + name);
        }
    }

    /**
     * Releases the slot after the work.
     *
     * @param work what held the slot, for the log: {@code the command}, {@code the deployment}
     */
    public static void exit(Lease lease, WatcherContext context, String work) {
        try {
            if (lease.release()) {
                context.logger().info("vacated slot {} on governor {}", lease.slot(), lease.governor());
            } else {
                context.logger().warn("slot {} on governor {} was no longer ours when {} ended (held longer than the"
                        + " governor's hold time and taken over, or evicted)", lease.slot(), lease.governor(), work);
            }
        } catch (KvException e) {
            context.logger().warn("cannot release slot {} on governor {}: {}; it is freed after the governor's hold"
                    + " time", lease.slot(), lease.governor(), e.getMessage());
        }
    }
}
