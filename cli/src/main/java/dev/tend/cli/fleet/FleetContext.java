package dev.tend.cli.fleet;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What the {@code fleet} commands read and write: the environment (never {@code System.getenv} directly, for tests),
 * standard output and standard error.
 */
public record FleetContext(Map<String, String> env, PrintWriter out, PrintWriter err) {
}
