package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.EvaluationException;
import dev.tend.machine.expression.Expression;
import dev.tend.machine.expression.ExpressionCompiler;
import dev.tend.machine.expression.ExpressionSyntaxException;
import dev.tend.machine.expression.ValueTypes;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlInfo;
import org.apache.commons.jexl3.JexlScript;

import java.util.List;

/**
 * The runtime's {@link ExpressionCompiler}: expr text is split into tokens ({@link ExprLexer}), translated to JEXL
 * ({@link Translator}), and parsed by a JEXL engine that allows expressions only (no scripts, loops, assignments,
 * lambdas, {@code new}, method calls, pragmas) and reaches no Java class but its own two ({@link SandboxPermissions}),
 * with {@link ExprArithmetic} giving the operators expr's meaning. Registered in {@code META-INF/services}.
 */
public final class JexlExpressionCompiler implements ExpressionCompiler {

    private final JexlEngine engine;

    public JexlExpressionCompiler() {
        JexlFeatures features = new JexlFeatures()
                .script(false).loops(false).lambda(false).thinArrow(false).fatArrow(false).newInstance(false)
                .methodCall(false).sideEffect(false).sideEffectGlobal(false).localVar(false).pragma(false)
                .importPragma(false).namespacePragma(false).annotation(false).register(false)
                .comparatorNames(false).structuredLiteral(true);
        engine = new JexlBuilder()
                .features(features)
                .permissions(new SandboxPermissions())
                .arithmetic(new ExprArithmetic())
                .strict(true)
                .safe(false)
                .silent(false)
                .booleanLogical(true)
                .cancellable(false)
                .cache(0)
                .create();
    }

    @Override
    public Expression compile(String source, Environment declared) throws ExpressionSyntaxException {
        return compile(source, declared, false);
    }

    @Override
    public Expression compileBoolean(String source, Environment declared) throws ExpressionSyntaxException {
        return compile(source, declared, true);
    }

    private Expression compile(String source, Environment declared, boolean asBool) throws ExpressionSyntaxException {
        List<Token> tokens;
        Translation translation;
        try {
            tokens = ExprLexer.tokens(source);
            translation = Translator.translate(tokens, declared);
        } catch (ExprLexer.LexException e) {
            throw at(source, e.getMessage(), e.offset);
        } catch (Translator.TranslationException e) {
            throw at(source, e.getMessage(), e.offset);
        }
        JexlScript script;
        try {
            script = engine.createScript(new JexlInfo("expression", 1, 1), translation.jexl());
        } catch (JexlException e) {
            int offset = e.getInfo() == null ? 0 : translation.origin(e.getInfo().getColumn() - 1);
            throw at(source, "syntax error" + near(source, tokens, offset), offset);
        }
        JexlExpression expression = new JexlExpression(source, translation, script);
        if (!translation.usesEnvironment()) {
            checkConstant(source, expression, asBool);
        }
        return expression;
    }

    /** A constant expression is evaluated now: an error, or a non-boolean where one is needed, is refused at once. */
    private static void checkConstant(String source, Expression expression, boolean asBool)
            throws ExpressionSyntaxException {
        try {
            Object value = expression.evaluate(Environment.builder().build());
            if (asBool && !(value instanceof Boolean)) {
                throw at(source, "expected bool, but got " + ValueTypes.name(value), 0);
            }
        } catch (EvaluationException e) {
            throw at(source, e.getMessage(), 0);
        }
    }

    /** The expr text of the token at {@code offset}, for the message. */
    private static String near(String source, List<Token> tokens, int offset) {
        for (int k = 0; k + 1 < tokens.size(); k++) {
            if (tokens.get(k).start() == offset) {
                int end = tokens.get(k + 1).start();
                String text = source.substring(offset, end).strip();
                return text.isEmpty() || text.length() > 40 ? "" : " near \"" + text + "\"";
            }
        }
        return "";
    }

    private static ExpressionSyntaxException at(String source, String message, int offset) {
        int line = 1;
        int lineStart = 0;
        int end = Math.min(Math.max(offset, 0), source.length());
        for (int k = 0; k < end; k++) {
            if (source.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        return new ExpressionSyntaxException(message, line, source.codePointCount(lineStart, end) + 1);
    }
}
