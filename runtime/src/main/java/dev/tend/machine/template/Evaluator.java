package dev.tend.machine.template;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.template.TemplateFunction.FunctionException;

import java.util.ArrayList;
import java.util.List;

/** Renders a parsed template against one {@link RenderScope}. */
final class Evaluator {

    private final TemplateSource source;
    private final RenderScope scope;

    private Evaluator(TemplateSource source, RenderScope scope) {
        this.source = source;
        this.scope = scope;
    }

    static String render(ParsedTemplate template, RenderScope scope) throws TemplateException {
        Evaluator evaluator = new Evaluator(template.source(), scope);
        StringBuilder out = new StringBuilder();
        for (ParsedTemplate.Part part : template.parts()) {
            if (part instanceof ParsedTemplate.Text text) {
                out.append(text.text());
            } else if (part instanceof ParsedTemplate.Action action) {
                out.append(ValueText.TEMPLATE.of(evaluator.eval(action.pipeline())));
            }
        }
        return out.toString();
    }

    private Object eval(Expr expr) throws TemplateException {
        if (expr instanceof Expr.Literal literal) {
            return literal.value();
        }
        if (expr instanceof Expr.Dot) {
            return null;
        }
        if (expr instanceof Expr.Call call) {
            return call(call, List.of());
        }
        Expr.Pipeline pipeline = (Expr.Pipeline) expr;
        Object value = eval(pipeline.first());
        for (Expr.Call stage : pipeline.rest()) {
            value = call(stage, List.of(value));
        }
        return value;
    }

    private Object call(Expr.Call call, List<Object> piped) throws TemplateException {
        List<Object> args = new ArrayList<>(call.args().size() + piped.size());
        for (Expr arg : call.args()) {
            args.add(eval(arg));
        }
        args.addAll(piped);
        try {
            return call.function().body().apply(args, scope);
        } catch (FunctionException e) {
            throw source.error(call.offset(), call.function().name() + ": " + e.getMessage());
        }
    }
}
