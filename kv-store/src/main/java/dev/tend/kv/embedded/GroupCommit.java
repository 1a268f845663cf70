package dev.tend.kv.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: writers queue their requests; the first one to take the lock commits every queued request in
 * one batch, and the others wait for their own outcome rather than for the lock, so a writer whose request is done
 * returns at once. A commit has two parts: the first, under the lock, appends the batch; the second, after the lock
 * is released, waits for the batch's force. So the next leader appends its batch while the previous one's force
 * runs, and one force can cover both. The leader wakes the first of those who queued meanwhile to lead the next
 * batch as soon as it releases the lock, and exactly the writers it committed once their outcome is in.
 */
final class GroupCommit {
    /** Commits a batch: {@link #append} under the group commit's lock, then what it returns after. */
    interface Committer {
        /**
         * Appends the batch; returns what completes it once the lock is released, or null when every request has
         * its outcome. Gives every request an outcome, even when it throws, unless it returned a completion.
         */
        Runnable append(List<WriteRequest> batch);
    }

    private final Committer committer;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<WriteRequest> queue = new ConcurrentLinkedQueue<>();

    /** {@code committer}'s completion gives every request of the batch an outcome, even when it throws. */
    GroupCommit(Committer committer) {
        this.committer = committer;
    }

    /** Queues the request and returns its revision once committed, or throws its error. */
    long submit(WriteRequest r) {
        queue.add(r);
        boolean interrupted = false;
        while (!r.isDone()) {
            if (lock.tryLock()) {
                List<WriteRequest> batch = new ArrayList<>();
                Runnable completion = null;
                try {
                    if (!r.isDone()) {
                        WriteRequest next;
                        while ((next = queue.poll()) != null) {
                            batch.add(next);
                        }
                        completion = committer.append(batch);
                    }
                } finally {
                    lock.unlock();
                    // Whether or not the append threw: the next batch may start now.
                    WriteRequest first = queue.peek();
                    if (first != null) {
                        LockSupport.unpark(first.waiter);
                    }
                    try {
                        if (completion != null) {
                            completion.run();
                        }
                    } finally {
                        // Also when the completion threw: every writer of the batch has its outcome and must wake.
                        for (WriteRequest done : batch) {
                            if (done != r) {
                                LockSupport.unpark(done.waiter);
                            }
                        }
                    }
                }
            } else {
                // Woken when our write is done or when we should lead; a spurious wake-up just loops. A writer
                // that queued after the leader's drain is woken by the leader's peek: the lock it failed to take
                // was held, so the leader's unlock and peek come after its enqueue.
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return r.outcome();
    }
}
