package dev.tend.watchers.exec;

/**
 * How one run went.
 *
 * @param outcome  {@link ExecOutcome#SUCCESS} or {@link ExecOutcome#ERROR}, or null when a stop cut the run short
 *                 (nothing to report)
 * @param reason   why it is an error, one line; empty for success
 * @param exitCode the command's exit status when it ran and exited by itself, else null
 * @param output   what it wrote (the captured part), for logs
 * @param timedOut the run was cut at the watcher's timeout
 */
record RunResult(ExecOutcome outcome, String reason, Integer exitCode, String output, boolean timedOut) {

    static RunResult success(String output) {
        return new RunResult(ExecOutcome.SUCCESS, "", 0, output, false);
    }

    /** Noop mode: the command was logged, not run; it counts as a success, with no exit status. */
    static RunResult noop() {
        return new RunResult(ExecOutcome.SUCCESS, "", null, "", false);
    }

    static RunResult error(String reason, Integer exitCode, String output) {
        return new RunResult(ExecOutcome.ERROR, reason, exitCode, output, false);
    }

    static RunResult error(String reason) {
        return new RunResult(ExecOutcome.ERROR, reason, null, "", false);
    }

    static RunResult timedOut(String reason, String output) {
        return new RunResult(ExecOutcome.ERROR, reason, null, output, true);
    }

    static RunResult stopped() {
        return new RunResult(null, "stopped", null, "", false);
    }

    boolean isStopped() {
        return outcome == null;
    }
}
