/**
 * Concurrency governors: named, store-wide semaphores. A governor is a bucket of slots with a capacity and a
 * maximum hold time; whoever wants to run claims a free slot, runs, and releases it. A claim older than the hold time
 * (its holder was killed, or ran too long) may be taken over, so a crashed holder frees its slot after the hold
 * time. Built on the store's API ({@code dev.tend.kv}) alone, so governors work on every backend, the embedded
 * store and NATS JetStream alike.
 *
 * <p>Start with {@link dev.tend.governor.Governors} ({@code Governors.builder(store)...build()}): add, list, open and
 * remove governors. A {@link dev.tend.governor.Governor} is entered with {@code tryEnter} (at once or not at all) or
 * {@code enter} (waiting up to a limit), which return a {@link dev.tend.governor.Lease}; closing the lease releases its
 * slot. {@code claims()} shows who holds which slot since when ({@link dev.tend.governor.Claim}); {@code evict} frees a
 * slot whoever holds it.
 *
 * <h2>In the store</h2>
 * A governor {@code NAME} is the bucket {@code GOVERNOR_NAME} (history 1, no TTL) with these keys:
 * <ul>
 * <li>{@code config}: {@code {"capacity":2,"expire":"5m0s"}}, the number of slots and the hold time;</li>
 * <li>{@code slot.1} ... {@code slot.<capacity>}: a claimed slot holds its holder's description (UTF-8 text); a free
 * slot has no value (never written, or a delete marker).</li>
 * </ul>
 * A slot is claimed with {@code create} (free) or with {@code update} at the revision read (a claim older than the hold
 * time), and released with {@code delete} at the claim's revision, so that a holder whose claim was taken over or
 * evicted never releases someone else's. A claim's age is the store's time of its write ({@code Entry.created}, the
 * NATS server's time on NATS) against the governor's clock.
 *
 * <h2>Waiting</h2>
 * {@code enter} tries, then waits on the {@link dev.tend.governor.Sleeper} until a slot key changes (a watch of the
 * bucket wakes it), the oldest claim expires, the poll interval passes or the deadline comes, and tries again. The
 * clock and the sleeper are injected, so tests move time without sleeping.
 *
 * <p>Depends on {@code dev.tend.kv}, {@code dev.tend.units}, jackson-core and SLF4J only.
 */
package dev.tend.governor;
