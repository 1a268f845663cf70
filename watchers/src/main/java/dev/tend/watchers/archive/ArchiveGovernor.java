package dev.tend.watchers.archive;

import dev.tend.governor.Lease;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.watchers.governed.GovernedSlot;
import dev.tend.watchers.governed.NoSlotException;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A deployment's slot in its {@code governor}, as exec's runs take theirs ({@link GovernedSlot}): a wait of up to
 * {@code governor_timeout}, the slot held while the archive is fetched, extracted and swapped in, and released after. A
 * deployment without a slot is an {@code error}.
 */
final class ArchiveGovernor {

    private ArchiveGovernor() {
    }

    /** Why {@code name} cannot name a governor, or empty. */
    static Optional<String> nameProblem(String name) {
        return GovernedSlot.nameProblem(name);
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
        try {
            return GovernedSlot.enter(name, timeout, context, stopping);
        } catch (NoSlotException e) {
            throw new ArchiveFailure(e.getMessage());
        }
    }

    /** Releases the slot after the deployment. */
    static void exit(Lease lease, WatcherContext context) {
        GovernedSlot.exit(lease, context, "the deployment");
    }
}
