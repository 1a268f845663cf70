package dev.tend.governor;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One governor. A handle is safe to use from many threads; it reads the governor's settings on every call. */
public interface Governor {

    String name();

    /**
     * The governor's settings as stored now.
     *
     * @throws UnknownGovernorException when it was removed
     */
    GovernorConfig config();

    /** The bucket's replicas (copies the backend keeps). */
    int replicas();

    /**
     * Claims a free slot (or one whose claim expired) at once.
     *
     * @param holder who claims it, shown by {@link #claims()}
     * @return the lease, or empty when every slot is held
     */
    Optional<Lease> tryEnter(String holder);

    /**
     * Claims a slot, waiting up to {@code maxWait} for one to come free.
     *
     * @throws GovernorTimeoutException when none came free in time
     * @throws InterruptedException     when the waiting thread was interrupted (interrupting a thread that may be
     *                                  reading the embedded store's files closes them: prefer a {@code cancel})
     */
    default Lease enter(String holder, Duration maxWait) throws InterruptedException {
        return enter(holder, maxWait, new CompletableFuture<>());
    }

    /**
     * Claims a slot, waiting up to {@code maxWait} for one to come free, or until {@code cancel} completes.
     *
     * @throws GovernorTimeoutException when none came free in time
     * @throws CancellationException    when {@code cancel} completed first
     * @throws InterruptedException     when the waiting thread was interrupted
     */
    Lease enter(String holder, Duration maxWait, CompletionStage<?> cancel) throws InterruptedException;

    /** The claimed slots, by slot number. */
    List<Claim> claims();

    /**
     * Frees a slot whoever holds it; its holder's lease then releases nothing.
     *
     * @return the claim that was evicted, or empty when the slot was free
     */
    Optional<Claim> evict(int slot);
}
