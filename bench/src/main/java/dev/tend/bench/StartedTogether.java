package dev.tend.bench;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a body on several threads released at the same moment, for the multi-threaded put and get scenarios. */
final class StartedTogether {

    interface ThreadBody {
        void run(int thread) throws Exception;
    }

    private StartedTogether() {
    }

    /** Runs the body on {@code n} threads started together; returns the nanoseconds until the last one ended. */
    static long run(int n, ThreadBody body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n + 1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread[] threads = new Thread[n];
        for (int t = 0; t < n; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }, "bench-" + t);
            threads[t].start();
        }
        start.await();
        long t0 = System.nanoTime();
        for (Thread t : threads) {
            t.join();
        }
        long nanos = System.nanoTime() - t0;
        if (error.get() != null) {
            throw new IllegalStateException("a bench thread failed: " + Support.oneLine(error.get()), error.get());
        }
        return nanos;
    }
}
