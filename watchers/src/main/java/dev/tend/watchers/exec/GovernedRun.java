package dev.tend.watchers.exec;

import dev.tend.governor.Lease;
import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.WatcherContext;
import dev.tend.watchers.governed.GovernedSlot;
import dev.tend.watchers.governed.NoSlotException;
import dev.tend.watchers.process.MessageQuotes;
import dev.tend.watchers.process.RunFailure;

import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * An exec run's slot in its {@code governor}: the name rendered as a template at each run and checked, then the wait,
 * the slot held during the command and its release as {@link GovernedSlot} does them (and logs them, as the reference
 * publishes its governor lifecycle events); the failed run itself is an {@code error}, published and fired as any other.
 */
final class GovernedRun {

    private GovernedRun() {
    }

    /** Why {@code name} cannot name a governor, or empty. */
    static Optional<String> nameProblem(String name) {
        return GovernedSlot.nameProblem(name);
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
        try {
            return GovernedSlot.enter(name, properties.governorTimeout(), context, stopped);
        } catch (NoSlotException e) {
            throw new RunFailure(e.getMessage());
        }
    }

    /** Releases the slot after the command. */
    static void exit(Lease lease, WatcherContext context) {
        GovernedSlot.exit(lease, context, "the command");
    }
}
