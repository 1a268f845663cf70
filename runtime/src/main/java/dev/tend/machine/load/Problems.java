package dev.tend.machine.load;

import dev.tend.machine.Problem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** Collects the errors and warnings found in one machine file, so that all of them are reported at once. */
final class Problems {

    private final Path file;
    private final List<Problem> errors = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void error(int line, String where, String message) {
        errors.add(new Problem(file, line, where, message));
    }

    void warning(int line, String where, String message) {
        warnings.add(new Problem(file, line, where, message));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    int errorCount() {
        return errors.size();
    }

    /** Errors by line (whole-file problems first), each reported once, in the order found within a line. */
    List<Problem> errors() {
        return sorted(errors);
    }

    List<Problem> warnings() {
        return sorted(warnings);
    }

    static List<Problem> sorted(List<Problem> problems) {
        List<Problem> distinct = new ArrayList<>(new LinkedHashSet<>(problems));
        distinct.sort(Comparator.comparingInt(Problem::line));
        return List.copyOf(distinct);
    }
}
