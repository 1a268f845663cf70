package dev.tend.machine.expression;

import dev.tend.machine.template.JsonPaths;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The helper functions the reference adds to its expression environments, for callers to add to theirs:
 * {@code get_fact(query)} (the expression watcher and the plugin matchers), and the matchers' {@code identity(regex)},
 * {@code has_file(path)}, {@code has_directory(path)} and {@code has_command(name)}.
 */
public final class MachineFunctions {

    private MachineFunctions() {
    }

    /**
     * {@code get_fact(query)}: the value at a gjson path of the facts (the subset templates' {@code lookup} takes,
     * {@link JsonPaths}), nil when there is none; a path Tend does not support is an evaluation error.
     *
     * @param facts the facts of the moment (read on each call)
     */
    public static ExpressionFunction getFact(Supplier<Map<String, Object>> facts) {
        return ExpressionFunction.of("get_fact", 1, args -> {
            String path = text(args.get(0), "get_fact");
            try {
                return JsonPaths.find(facts.get(), path, null);
            } catch (IllegalArgumentException e) {
                throw new EvaluationException("get_fact: " + e.getMessage());
            }
        });
    }

    /**
     * {@code identity(regex)}: whether the node's identity matches the regular expression (anywhere in it, as Go's
     * {@code MatchString}); a bad expression is false, as in the reference (which logs it).
     */
    public static ExpressionFunction identityMatcher(String identity) {
        return ExpressionFunction.of("identity", 1, args -> {
            try {
                return Pattern.compile(text(args.get(0), "identity")).matcher(identity).find();
            } catch (PatternSyntaxException e) {
                return false;
            }
        });
    }

    /**
     * {@code has_file(path)}: whether anything exists at the path (following links): a directory too, as Choria's
     * matchers have it.
     */
    public static ExpressionFunction hasFile() {
        return pathTest("has_file", Files::exists);
    }

    /** {@code has_directory(path)}: whether the path exists and is a directory (following links). */
    public static ExpressionFunction hasDirectory() {
        return pathTest("has_directory", Files::isDirectory);
    }

    /**
     * {@code has_command(name)}: whether an executable file of that name is in one of the {@code PATH} directories, or,
     * for a name with a {@code /}, whether that file is executable.
     *
     * @param path the value of {@code PATH} to search
     */
    public static ExpressionFunction hasCommand(String path) {
        return ExpressionFunction.of("has_command", 1, args -> {
            String name = text(args.get(0), "has_command");
            if (name.isEmpty()) {
                return false;
            }
            try {
                if (name.contains("/")) {
                    return executable(Path.of(name));
                }
                for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
                    if (!dir.isEmpty() && executable(Path.of(dir).resolve(name))) {
                        return true;
                    }
                }
                return false;
            } catch (java.nio.file.InvalidPathException e) {
                return false;
            }
        });
    }

    private static boolean executable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }

    private static ExpressionFunction pathTest(String name, Function<Path, Boolean> test) {
        return ExpressionFunction.of(name, 1, args -> {
            String text = text(args.get(0), name);
            try {
                return !text.isEmpty() && test.apply(Path.of(text));
            } catch (java.nio.file.InvalidPathException e) {
                return false;
            }
        });
    }

    private static String text(Object value, String function) throws EvaluationException {
        if (value instanceof String s) {
            return s;
        }
        throw new EvaluationException(function + ": expected string, but got " + ValueTypes.name(value));
    }
}
