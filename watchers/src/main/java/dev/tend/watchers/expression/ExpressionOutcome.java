package dev.tend.watchers.expression;

/** What one evaluation found, named as in the reference's events ({@code previous_outcome}). */
enum ExpressionOutcome {
    SUCCESS_WHEN("success_when"),
    FAILED_WHEN("failed_when"),
    NO_MATCH("no_match"),
    SKIPPED("skipped"),
    ERROR("error");

    private final String text;

    ExpressionOutcome(String text) {
        this.text = text;
    }

    String text() {
        return text;
    }
}
