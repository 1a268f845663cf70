package dev.tend.machine.spi;

/**
 * Renders property templates: the subset of Go's text/template the reference uses ({@code {{ lookup "data.x" "default" }}},
 * pipes, and the string helpers), against the machine's current data and the node's facts.
 */
@FunctionalInterface
public interface Templates {

    /** The rendered text; text without {@code {{} is returned unchanged. */
    String render(String template) throws TemplateException;
}
