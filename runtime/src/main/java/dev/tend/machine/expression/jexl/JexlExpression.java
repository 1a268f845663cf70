package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.EvaluationException;
import dev.tend.machine.expression.Expression;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlScript;

/** An expression translated to JEXL and parsed once. */
final class JexlExpression implements Expression {

    private final String source;
    private final Translation translation;
    private final JexlScript script;

    JexlExpression(String source, Translation translation, JexlScript script) {
        this.source = source;
        this.translation = translation;
        this.script = script;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Object evaluate(Environment environment) throws EvaluationException {
        try {
            return ExprValues.normalize(script.execute(new EvaluationContext(environment, translation.variables())));
        } catch (JexlException e) {
            throw new EvaluationException(message(e), e);
        } catch (ExprError e) {
            throw new EvaluationException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new EvaluationException("evaluation failed: " + e, e);
        }
    }

    /** The message of the expr error that caused it, or JEXL's, rewritten in expr's terms. */
    private String message(JexlException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ExprError) {
                return t.getMessage();
            }
        }
        if (e instanceof JexlException.Property p) {
            return "cannot fetch " + p.getProperty().replaceAll("^'(.*)'$", "$1") + " from nil";
        }
        String detail = e.getMessage();
        if (detail != null && detail.contains("object is null")) {
            return "cannot fetch a field from nil" + at(e);
        }
        // JEXL's own message, without its "name@line:column " prefix (a position in the translation, not the text)
        return detail == null ? e.toString() : detail.replaceAll("\\s+", " ").replaceFirst("^\\S+@\\d+:\\d+ ", "");
    }

    private String at(JexlException e) {
        if (e.getInfo() == null) {
            return "";
        }
        return " (column " + (translation.origin(e.getInfo().getColumn() - 1) + 1) + ")";
    }

    @Override
    public String toString() {
        return source;
    }
}
