package dev.tend.machine.template;

import java.util.List;

/**
 * A function templates may call.
 *
 * @param name  as written in templates
 * @param arity how many arguments it takes, a piped value included
 * @param body  what it does
 */
record TemplateFunction(String name, int arity, Body body) {

    @FunctionalInterface
    interface Body {
        Object apply(List<Object> args, RenderScope scope) throws FunctionException;
    }

    /** A function could not do its work with these arguments; the message says why, in one line. */
    static final class FunctionException extends Exception {
        FunctionException(String message) {
            super(message);
        }
    }
}
