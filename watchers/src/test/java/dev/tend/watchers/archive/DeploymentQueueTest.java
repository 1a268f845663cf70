package dev.tend.watchers.archive;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One deployment at a time per directory: turns in order, other directories free, a stop ends a wait. */
class DeploymentQueueTest {

    private static final Path A = Path.of("/t/a");
    private static final Path B = Path.of("/t/b");

    private final DeploymentQueue queue = new DeploymentQueue();

    @Test
    void theSecondDeploymentToADirectoryWaitsForTheFirst() throws Exception {
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            DeploymentQueue.Turn first = queue.await(A, new CompletableFuture<>());
            try (DeploymentQueue.Turn other = queue.await(B, new CompletableFuture<>())) {
                assertThat(other).as("another directory is not held up").isNotNull();
            }
            CompletableFuture<Void> afterFirst = new CompletableFuture<>();
            Future<?> second = threads.submit(() -> {
                try (DeploymentQueue.Turn turn = queue.await(A, new CompletableFuture<>())) {
                    afterFirst.complete(null);
                }
                return null;
            });
            assertThat(afterFirst).as("waits while the first holds the directory").isNotDone();
            first.close();
            second.get(30, TimeUnit.SECONDS);
            assertThat(afterFirst).isDone();
            try (DeploymentQueue.Turn again = queue.await(A, new CompletableFuture<>())) {
                assertThat(again).as("free again").isNotNull();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoSpellingsOfOneDirectoryShareItsQueue() throws Exception {
        try (DeploymentQueue.Turn holder = queue.await(Path.of("/t/x/../a"), new CompletableFuture<>())) {
            CompletableFuture<Void> stopping = new CompletableFuture<>();
            stopping.complete(null);
            assertThatThrownBy(() -> queue.await(A, stopping)).as("waits for the holder of /t/x/../a")
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("stopped while waiting for another deployment to /t/a");
            Path relative = Path.of("").toAbsolutePath().relativize(A);
            assertThatThrownBy(() -> queue.await(relative, stopping)).as("a relative spelling too")
                    .isInstanceOf(CancellationException.class);
        }
    }

    @Test
    void aStopEndsTheWaitAndTheNextStillWaitsForTheHolder() throws Exception {
        DeploymentQueue.Turn holder = queue.await(A, new CompletableFuture<>());
        CompletableFuture<Void> stopping = new CompletableFuture<>();
        stopping.complete(null);
        assertThatThrownBy(() -> queue.await(A, stopping)).isInstanceOf(CancellationException.class)
                .hasMessage("stopped while waiting for another deployment to /t/a");
        CompletableFuture<Void> stopNext = new CompletableFuture<>();
        CompletableFuture<DeploymentQueue.Turn> next = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.await(A, stopNext);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(next).isNotDone();
        holder.close();
        next.get(30, TimeUnit.SECONDS).close();
    }
}
