package dev.tend.watchers.archive;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One deployment at a time per {@code target/creates} (absolute and normalized, so that two spellings of one directory
 * share a queue), among the watchers of one factory (one agent): a deployment waits for the one before it on the same
 * directory, in the order they asked, without polling. Shared by the
 * factory's watchers; its one lock is held only to queue and dequeue.
 */
final class DeploymentQueue {

    /** A turn: {@link #close()} hands the directory to the next deployment. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    /** Per directory, the turn of the last deployment queued, completed when it ends. */
    private final Map<Path, CompletableFuture<Void>> last = new HashMap<>();

    /**
     * Waits until every deployment queued before on {@code directory} ended. Blocks: called from a run's waiting work.
     *
     * @param stopping completed when the watcher stops: the wait ends with a {@link CancellationException} (the
     *                 deployments queued after this one still wait for the ones before it)
     */
    Turn await(Path where, CompletableFuture<Void> stopping) throws InterruptedException {
        Path directory = where.toAbsolutePath().normalize(); // a/../b and b are one directory: one queue
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before;
        synchronized (this) {
            before = last.put(directory, mine);
        }
        Turn turn = () -> {
            mine.complete(null);
            synchronized (this) {
                last.remove(directory, mine);
            }
        };
        if (before == null || before.isDone()) {
            return turn;
        }
        try {
            CompletableFuture.anyOf(before, stopping).get();
        } catch (ExecutionException e) {
            // neither future completes exceptionally
        } catch (InterruptedException e) {
            before.whenComplete((v, t) -> turn.close());
            throw e;
        }
        if (!before.isDone()) {
            before.whenComplete((v, t) -> turn.close());
            throw new CancellationException("stopped while waiting for another deployment to " + directory);
        }
        return turn;
    }
}
