package dev.tend.kv.embedded;

import java.util.OptionalLong;

/**
 * Ends a test's child JVM once the test JVM that started it is gone. A test run that is killed (a build stopped with
 * SIGKILL, a CI time-out) cannot close its children, and a writer child left behind puts in a loop for ever, taking a
 * processor from whatever runs next. An orphan is re-parented (to init or a subreaper), so its parent's pid changes.
 */
final class OrphanExit {
    private static final long PERIOD_MS = 1_000;

    private OrphanExit() {
    }

    /** Starts a daemon thread that exits this JVM (status 4) when its parent process changes. */
    static void watch() {
        OptionalLong parent = parentPid();
        if (parent.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                while (parentPid().equals(parent)) {
                    Thread.sleep(PERIOD_MS);
                }
                Runtime.getRuntime().halt(4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "child-orphan-watch");
        t.setDaemon(true);
        t.start();
    }

    private static OptionalLong parentPid() {
        return ProcessHandle.current().parent().map(p -> OptionalLong.of(p.pid())).orElse(OptionalLong.empty());
    }
}
