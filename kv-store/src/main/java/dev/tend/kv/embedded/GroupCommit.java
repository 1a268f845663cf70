package dev.tend.kv.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit: writers queue their requests; the first one to take the lock commits every queued request in
 * one batch (one write, one force), and the others wait for their own outcome rather than for the lock, so a
 * writer whose request is done returns at once. The leader wakes exactly the writers it committed, and the
 * first of those who queued meanwhile to lead the next batch.
 */
final class GroupCommit {
    private final Consumer<List<WriteRequest>> committer;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<WriteRequest> queue = new ConcurrentLinkedQueue<>();

    /** {@code committer} gives every request of the batch an outcome, even when it throws. */
    GroupCommit(Consumer<List<WriteRequest>> committer) {
        this.committer = committer;
    }

    /** Queues the request and returns its revision once committed, or throws its error. */
    long submit(WriteRequest r) {
        queue.add(r);
        boolean interrupted = false;
        while (!r.isDone()) {
            if (lock.tryLock()) {
                List<WriteRequest> batch = new ArrayList<>();
                try {
                    if (!r.isDone()) {
                        WriteRequest next;
                        while ((next = queue.poll()) != null) {
                            batch.add(next);
                        }
                        committer.accept(batch);
                    }
                } finally {
                    lock.unlock();
                    // Also when the commit threw: every writer of the batch has its outcome and must wake.
                    for (WriteRequest done : batch) {
                        if (done != r) {
                            LockSupport.unpark(done.waiter);
                        }
                    }
                    WriteRequest first = queue.peek();
                    if (first != null) {
                        LockSupport.unpark(first.waiter);
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
