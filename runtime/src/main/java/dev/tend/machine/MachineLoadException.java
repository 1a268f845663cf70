package dev.tend.machine;

import java.util.List;
import java.util.stream.Collectors;

/** A machine file that cannot be loaded, with every problem found in it (not only the first). */
public final class MachineLoadException extends Exception {
    private final List<Problem> problems;

    public MachineLoadException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a load failure needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
