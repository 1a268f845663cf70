package dev.tend.bench;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Ends the run when a scenario hangs: prints a thread dump, lets the harness print what was measured and clean up,
 * then halts the JVM (exit status 3), since a hung scenario's threads would keep it alive.
 */
final class Watchdog {

    /** What the harness does after the thread dump and before the halt. */
    interface OnTimeout {
        void timedOut(String scenario, Duration limit);
    }

    private final PrintStream out;
    private final OnTimeout onTimeout;
    private Thread thread;

    Watchdog(PrintStream out, OnTimeout onTimeout) {
        this.out = out;
        this.onTimeout = onTimeout;
    }

    /** Starts the clock for a scenario the calling thread runs. */
    synchronized void arm(String scenario, Duration limit) {
        disarm();
        Thread main = Thread.currentThread();
        thread = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            out.println();
            out.println("   TIMEOUT: scenario " + scenario + " did not finish within " + limit.toMinutes()
                    + " min; the main thread:");
            for (StackTraceElement e : main.getStackTrace()) {
                out.println("\tat " + e);
            }
            out.println("   other threads:");
            Thread.getAllStackTraces().forEach((t, stack) -> {
                if (t != main && t != Thread.currentThread()) {
                    out.println("   \"" + t.getName() + "\" " + t.getState());
                    for (int i = 0; i < Math.min(stack.length, 12); i++) {
                        out.println("\tat " + stack[i]);
                    }
                }
            });
            onTimeout.timedOut(scenario, limit);
            out.flush();
            Runtime.getRuntime().halt(3);
        }, "bench-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void disarm() {
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }
}
