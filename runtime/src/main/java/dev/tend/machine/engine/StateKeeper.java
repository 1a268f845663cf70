package dev.tend.machine.engine;

import dev.tend.machine.MachineDefinition;
import dev.tend.machine.ResumeOutcome;
import dev.tend.machine.data.SavedState;
import dev.tend.machine.data.StateFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The saved state of a machine that resumes its state: decides at load whether it resumes what its {@link StateFile}
 * holds (same definition, a state the definition knows) and then keeps the file up to date, writing the state, the
 * definition's hash, when the state was entered and the data after every transition and every change of the data.
 *
 * <p>Lock order: the data's lock, then this one ({@link #dataWritten} is called under the data's lock); nothing here
 * takes the data's lock, so the latest data is kept here as the data tells it.
 */
final class StateKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(StateKeeper.class);

    private final String machine;
    private final String sha256;
    private final StateFile file;
    private final Clock clock;
    private final String startState;
    private final Instant startSince;
    private final Map<String, Object> resumedData;
    private final ResumeOutcome outcome;

    // Guarded by this.
    private String state;
    private Instant entered;
    private Map<String, Object> data = Map.of();
    private boolean failureLogged;
    /** Something was saved since the file was read. */
    private boolean written;
    /** The machine was deleted: nothing is saved any more. */
    private boolean forgotten;
    /** Noop mode: the saved state is read, never written or removed. */
    private final boolean readOnly;

    private StateKeeper(MachineDefinition definition, StateFile file, Clock clock, Optional<SavedState> saved,
                        boolean readOnly) {
        this.readOnly = readOnly;
        this.machine = definition.name();
        this.sha256 = definition.sha256();
        this.file = file;
        this.clock = clock;
        String initial = definition.initialState();
        if (saved.isEmpty()) {
            outcome = null;
        } else if (!saved.get().definitionSha256().equals(definition.sha256())) {
            outcome = new ResumeOutcome(false, saved.get().state(), saved.get().saved(),
                    "definition changed since state " + saved.get().state() + " was saved");
        } else if (!definition.states().contains(saved.get().state())) {
            outcome = new ResumeOutcome(false, saved.get().state(), saved.get().saved(),
                    "state " + saved.get().state() + " no longer exists in the definition");
        } else {
            outcome = new ResumeOutcome(true, saved.get().state(), saved.get().saved(), null);
        }
        if (outcome != null && outcome.resumed()) {
            startState = saved.get().state();
            startSince = saved.get().entered();
            resumedData = saved.get().data();
        } else {
            startState = initial;
            startSince = clock.instant();
            resumedData = null;
        }
        state = startState;
        entered = startSince;
        if (outcome == null) {
            LOG.debug("machine {}: no saved state in {}: starting in initial_state {}", machine, file.file(), initial);
        } else {
            LOG.info("machine {}: {}", machine, outcome.describe(initial));
        }
    }

    /** Reads the machine's saved state (beside {@code dataFile}) and decides what it starts in. */
    static StateKeeper open(MachineDefinition definition, Path dataFile, Clock clock) {
        return open(definition, dataFile, clock, true);
    }

    /**
     * As {@link #open(MachineDefinition, Path, Clock)}; with {@code writes} false (noop mode) it resumes as usual but
     * never writes or removes the saved state.
     */
    static StateKeeper open(MachineDefinition definition, Path dataFile, Clock clock, boolean writes) {
        StateFile file = StateFile.beside(dataFile);
        return new StateKeeper(definition, file, clock, file.read(), !writes);
    }

    /** The state the machine starts in: the saved one when it resumes, else its initial state. */
    String startState() {
        return startState;
    }

    /** When it entered {@link #startState()}: as saved when it resumes, else now. */
    Instant startSince() {
        return startSince;
    }

    /** The data saved with the state it resumes, or {@code null} when it does not resume. */
    Map<String, Object> resumedData() {
        return resumedData;
    }

    /** What it found at load, or {@code null} when nothing was saved. */
    ResumeOutcome outcome() {
        return outcome;
    }

    /** The data as opened, before any change. */
    synchronized void dataOpened(Map<String, Object> opened) {
        data = opened;
    }

    /**
     * The machine started in {@code in}, entered at {@code since}: saves it unless a transition or a change of the data
     * saved something newer already.
     */
    synchronized void started(String in, Instant since) {
        if (!written) {
            entered(in, since);
        }
    }

    /** The machine is in {@code to} since {@code at}: saves it. */
    synchronized void entered(String to, Instant at) {
        state = to;
        entered = at;
        save();
    }

    /** Under the data's lock, before the data file is written: saves the new data with the state. */
    synchronized void dataWritten(Map<String, Object> values) {
        data = values;
        save();
    }

    /**
     * The machine was deleted (its directory went): removes the saved state, so that a machine put there later starts
     * in its initial state, and saves nothing more.
     */
    synchronized void forget() {
        forgotten = true;
        if (readOnly) {
            return;
        }
        try {
            Files.deleteIfExists(file.file());
        } catch (IOException e) {
            LOG.warn("machine {}: cannot remove its saved state {}: {}", machine, file.file(), e.getMessage());
        }
    }

    private void save() {
        if (forgotten || readOnly) {
            return;
        }
        written = true;
        try {
            file.write(new SavedState(state, sha256, entered, clock.instant(), data));
            failureLogged = false;
        } catch (IOException | RuntimeException e) {
            if (!failureLogged) { // once until a write succeeds again: a full disk must not flood the log
                failureLogged = true;
                LOG.warn("machine {}: cannot save its state to {}: {}", machine, file.file(), e.getMessage());
            }
        }
    }
}
