package dev.tend.machine.template;

import java.util.List;

/** A template after parsing: text and actions in order, ready to render any number of times. Immutable. */
record ParsedTemplate(TemplateSource source, List<Part> parts) {

    ParsedTemplate {
        parts = List.copyOf(parts);
    }

    sealed interface Part {
    }

    record Text(String text) implements Part {
    }

    record Action(Expr pipeline) implements Part {
    }
}
