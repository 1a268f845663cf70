package dev.tend.watchers.exec;

/**
 * How one run went.
 *
 * @param outcome  {@link ExecOutcome#SUCCESS} or {@link ExecOutcome#ERROR}, or null when a stop cut the run short
 *                 (nothing to report)
 * @param reason   why it is an error, one line; empty for success
 * @param exitCode the command's exit status when it ran and exited by itself, else null
 * @param output   what it wrote (the captured part), for logs
 */
record RunResult(ExecOutcome outcome, String reason, Integer exitCode, String output) {

    static RunResult success(String output) {
        return new RunResult(ExecOutcome.SUCCESS, "", 0, output);
    }

    static RunResult error(String reason, Integer exitCode, String output) {
        return new RunResult(ExecOutcome.ERROR, reason, exitCode, output);
    }

    static RunResult error(String reason) {
        return new RunResult(ExecOutcome.ERROR, reason, null, "");
    }

    static RunResult stopped() {
        return new RunResult(null, "stopped", null, "");
    }

    boolean isStopped() {
        return outcome == null;
    }
}
