package dev.tend.machine;

import java.util.List;

/**
 * A machine directory whose machine does not run: its file does not load (or is refused), as {@code tend machine
 * list} shows it with the state {@value #STATE}.
 *
 * @param name     the machine directory's name (the machine's name is unknown when its file does not load)
 * @param path     the machine directory
 * @param problems what is wrong, one line each, as logged ({@code /dir/machine.yaml:3: watcher "x": ...}); at least one
 */
public record LoadFailure(String name, String path, List<String> problems) {

    /** The state {@code tend machine list} shows for a machine that failed to load. */
    public static final String STATE = "FAILED";

    public LoadFailure {
        problems = List.copyOf(problems);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a load failure has at least one problem");
        }
    }

    /** The first problem, which names the file and line. */
    public String error() {
        return problems.get(0);
    }
}
