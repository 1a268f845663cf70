package dev.tend.machine.template;

import java.util.List;

/** A parsed piece of an action. Evaluated by {@link Evaluator}. */
sealed interface Expr {

    /** Where it starts in the template, for messages. */
    int offset();

    /** A string, number, boolean or {@code nil} written in the template. */
    record Literal(Object value, int offset) implements Expr {
    }

    /** {@code .}: there is no dot context, so it is always "no value" (as in the reference). */
    record Dot(int offset) implements Expr {
    }

    /** A function call; a piped value, if any, is appended to {@code args} when evaluated. */
    record Call(TemplateFunction function, List<Expr> args, int offset) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** {@code a | f | g ...}: each stage after the first is a {@link Call} that receives the previous value last. */
    record Pipeline(Expr first, List<Call> rest, int offset) implements Expr {
        public Pipeline {
            rest = List.copyOf(rest);
        }
    }
}
