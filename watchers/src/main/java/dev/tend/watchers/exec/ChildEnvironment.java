package dev.tend.watchers.exec;

import dev.tend.watchers.process.MessageQuotes;
import dev.tend.watchers.process.RunFailure;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.spi.Templates;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The exact environment of a command: the agent's variables named in {@code inherit_environment}, then
 * {@code MACHINE_WATCHER_NAME}, {@code MACHINE_NAME}, {@code PATH} (the agent's, then the machine directory),
 * {@code WATCHER_DATA} and {@code WATCHER_FACTS}, then each rendered {@code environment} item in order (a later one wins,
 * so an item may replace {@code PATH}). Nothing else of the agent's environment reaches the command.
 */
final class ChildEnvironment {

    static final String MACHINE_WATCHER_NAME = "MACHINE_WATCHER_NAME";
    static final String MACHINE_NAME = "MACHINE_NAME";
    static final String PATH = "PATH";
    static final String WATCHER_DATA = "WATCHER_DATA";
    static final String WATCHER_FACTS = "WATCHER_FACTS";
    /** Set by Tend for every command, so pointless to inherit. */
    static final Set<String> BUILT_IN = Set.of(MACHINE_WATCHER_NAME, MACHINE_NAME, PATH, WATCHER_DATA, WATCHER_FACTS);

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String NAME_RULE = "letters, digits and _, not starting with a digit";

    /** Everything but the data and facts files, in order. */
    private final Map<String, String> base;
    private final Map<String, String> items;

    private ChildEnvironment(Map<String, String> base, Map<String, String> items) {
        this.base = base;
        this.items = items;
    }

    static boolean isName(String text) {
        return NAME.matcher(text).matches();
    }

    /** Why an {@code inherit_environment} name is refused, or empty. */
    static Optional<String> inheritProblem(String name) {
        if (!isName(name)) {
            return Optional.of(MessageQuotes.quote(name) + " is not a variable name (" + NAME_RULE + ")");
        }
        if (BUILT_IN.contains(name)) {
            return Optional.of(name + " is set by Tend for every command and cannot be inherited");
        }
        return Optional.empty();
    }

    /**
     * Why an {@code environment} item, as written, can never be {@code VAR=value}, or empty. A template in the name part
     * is checked when it is rendered.
     */
    static Optional<String> itemProblem(String item) {
        int eq = item.indexOf('=');
        String name = eq < 0 ? item : item.substring(0, eq);
        if (name.contains("{{")) {
            return Optional.empty();
        }
        if (eq < 0) {
            return Optional.of(MessageQuotes.quote(item) + " must be VAR=value");
        }
        if (!isName(name)) {
            return Optional.of(MessageQuotes.quote(item) + ": " + MessageQuotes.quote(name) + " is not a variable name ("
                    + NAME_RULE + ")");
        }
        return Optional.empty();
    }

    /**
     * Renders the {@code environment} items and gathers the rest.
     *
     * @param agentEnvironment the agent's own environment (its {@code PATH} and the inherited names)
     * @throws RunFailure when an item does not render or does not render to {@code VAR=value}
     */
    static ChildEnvironment prepare(ExecProperties properties, String machine, String watcher, Path machineDirectory,
                                    Map<String, String> agentEnvironment, Templates templates) throws RunFailure {
        Map<String, String> base = new LinkedHashMap<>();
        for (String name : properties.inheritEnvironment()) {
            String value = agentEnvironment.get(name);
            if (value != null) {
                base.put(name, value);
            }
        }
        base.put(MACHINE_WATCHER_NAME, watcher);
        base.put(MACHINE_NAME, machine);
        String agentPath = agentEnvironment.getOrDefault(PATH, "");
        base.put(PATH, agentPath.isEmpty() ? machineDirectory.toString() : agentPath + ":" + machineDirectory);

        Map<String, String> items = new LinkedHashMap<>();
        List<String> written = properties.environment();
        for (int i = 0; i < written.size(); i++) {
            String rendered;
            try {
                rendered = templates.render(written.get(i));
            } catch (TemplateException e) {
                throw new RunFailure("cannot render environment item " + (i + 1) + ": " + e.getMessage());
            }
            int eq = rendered.indexOf('=');
            if (eq < 0 || !isName(rendered.substring(0, eq))) {
                throw new RunFailure("environment item " + (i + 1) + " renders to " + MessageQuotes.quote(rendered)
                        + ", which is not VAR=value");
            }
            items.remove(rendered.substring(0, eq)); // a later item wins, and takes the later place
            items.put(rendered.substring(0, eq), rendered.substring(eq + 1));
        }
        return new ChildEnvironment(base, items);
    }

    /** The {@code PATH} the command gets (an {@code environment} item may have replaced Tend's). */
    String path() {
        return items.getOrDefault(PATH, base.get(PATH));
    }

    /** The whole environment, in the order described above. */
    Map<String, String> toMap(Path dataFile, Path factsFile) {
        Map<String, String> env = new LinkedHashMap<>(base);
        env.put(WATCHER_DATA, dataFile.toString());
        env.put(WATCHER_FACTS, factsFile.toString());
        for (Map.Entry<String, String> item : items.entrySet()) {
            env.remove(item.getKey());
            env.put(item.getKey(), item.getValue());
        }
        return env;
    }
}
