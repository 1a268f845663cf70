package dev.tend.machine.load;

import java.util.List;
import java.util.Optional;

/**
 * The top-level {@code tend:} mapping of machine.yaml: settings only Tend reads (Choria ignores the key). Today one,
 * {@code resume_state} (docs/machines.md, "Resuming the last state"). Unknown keys inside are warnings, as elsewhere.
 */
final class TendBlock {

    static final String KEY = "tend";
    static final String RESUME_STATE = "resume_state";
    static final List<String> KEYS = List.of(RESUME_STATE);

    private TendBlock() {
    }

    /** Whether the block asks to resume the saved state; false without a block. Problems are reported to {@code top}. */
    static boolean resumeState(Fields top, Problems problems) {
        Optional<YamlNode> value = top.value(KEY);
        if (value.isEmpty()) {
            return false;
        }
        if (!(value.get() instanceof YamlNode.Mapping map)) {
            top.error(KEY, KEY + " must be a mapping of Tend's settings (resume_state), not " + value.get().describe());
            return false;
        }
        Fields block = new Fields(map, KEY, "", KEYS, problems);
        Optional<YamlNode> resume = block.value(RESUME_STATE);
        if (resume.isEmpty()) {
            return false;
        }
        try {
            return LooseValues.bool(resume.get());
        } catch (ValueException e) {
            block.error(RESUME_STATE, RESUME_STATE + " " + e.getMessage());
            return false;
        }
    }
}
