package dev.tend.cli.governor;

import dev.tend.cli.command.Prompter;

import java.io.PrintWriter;
import java.util.Map;

/**
 * What the {@code governor} commands read and write: the environment (never {@code System.getenv} directly, for tests),
 * standard output and error, and the prompter for confirmations, {@code tend kv}'s. {@code run} gives the command
 * tend's own standard streams.
 */
public record GovernorContext(Map<String, String> env, PrintWriter out, PrintWriter err, Prompter prompter) {
}
