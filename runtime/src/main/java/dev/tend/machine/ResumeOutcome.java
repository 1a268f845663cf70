package dev.tend.machine;

import java.time.Instant;
import java.util.Objects;

/**
 * What a machine that resumes its state (docs/machines.md, "Resuming the last state") found when it was loaded: it
 * resumed the state saved at {@code saved}, or it started in its initial state for {@code reason}.
 *
 * @param resumed whether it resumed {@code state}
 * @param state   the state that was saved
 * @param saved   when it was saved
 * @param reason  why it did not resume it (one line, e.g. "definition changed since state maintenance was saved"), or
 *                {@code null} when it did
 */
public record ResumeOutcome(boolean resumed, String state, Instant saved, String reason) {
    public ResumeOutcome {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(saved, "saved");
        if (resumed != (reason == null)) {
            throw new IllegalArgumentException("a reason is given exactly when the state was not resumed");
        }
    }

    /** The line that says what happened, without the machine's name. */
    public String describe(String initialState) {
        return resumed ? "resumed state " + state + " saved at " + saved
                : "starting in initial_state " + initialState + ": " + reason;
    }
}
