package dev.tend.machine.template;

import dev.tend.machine.spi.TemplateException;
import dev.tend.machine.template.Expr.Call;
import dev.tend.machine.template.Token.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive descent over the lexer's tokens. The grammar is the part of Go's templates the reference uses:
 * <pre>
 * action    = "{{" pipeline "}}"
 * pipeline  = command { "|" function-command }
 * command   = function { argument } | argument
 * argument  = string | number | boolean | nil | "." | function | "(" pipeline ")"
 * </pre>
 * Functions are resolved and their argument counts checked here, so a bad template fails before it renders.
 */
final class TemplateParser {

    private static final Set<String> KEYWORDS =
            Set.of("if", "else", "end", "range", "with", "define", "template", "block", "break", "continue");

    private final TemplateSource source;
    private final List<Token> tokens;
    private int next;

    private TemplateParser(TemplateSource source, List<Token> tokens) {
        this.source = source;
        this.tokens = tokens;
    }

    static ParsedTemplate parse(String template) throws TemplateException {
        TemplateSource source = new TemplateSource(template);
        return new TemplateParser(source, TemplateLexer.lex(source)).template();
    }

    private ParsedTemplate template() throws TemplateException {
        List<ParsedTemplate.Part> parts = new ArrayList<>();
        while (next < tokens.size()) {
            Token t = tokens.get(next++);
            if (t.kind() == Kind.TEXT) {
                parts.add(new ParsedTemplate.Text(t.text()));
                continue;
            }
            // The lexer only produces text and "{{" ... "}}" groups.
            if (peek().kind() == Kind.CLOSE) {
                throw source.error(t.offset(), "empty action");
            }
            Expr pipeline = pipeline(Kind.CLOSE, t);
            next++; // the "}}"
            parts.add(new ParsedTemplate.Action(pipeline));
        }
        return new ParsedTemplate(source, parts);
    }

    /** A pipeline up to (not including) {@code end}, which {@code opener} opened. */
    private Expr pipeline(Kind end, Token opener) throws TemplateException {
        Expr first = command(0);
        List<Call> rest = new ArrayList<>();
        while (peek().kind() == Kind.PIPE) {
            Token pipe = tokens.get(next++);
            Kind after = peek().kind();
            if (after == Kind.PIPE || after == Kind.CLOSE || after == Kind.RIGHT_PAREN) {
                throw source.error(pipe.offset(), "missing function after \"|\"");
            }
            rest.add((Call) command(rest.size() + 1));
        }
        Token t = peek();
        if (t.kind() != end) {
            if (end == Kind.RIGHT_PAREN && t.kind() == Kind.CLOSE) {
                throw source.error(opener.offset(), "unclosed \"(\"");
            }
            throw source.error(t.offset(), "unexpected " + t.describe());
        }
        return rest.isEmpty() ? first : new Expr.Pipeline(first, rest, first.offset());
    }

    /** One command of a pipeline; {@code stage} 0 is the first, later stages receive the piped value. */
    private Expr command(int stage) throws TemplateException {
        Token t = peek();
        if (t.kind() == Kind.IDENTIFIER) {
            TemplateFunction function = function(t);
            next++;
            List<Expr> args = new ArrayList<>();
            while (!endsCommand(peek())) {
                args.add(argument());
            }
            checkArity(function, args.size(), stage > 0, t);
            return new Call(function, args, t.offset());
        }
        if (t.kind() == Kind.NIL) {
            throw source.error(t.offset(), "nil is not a command");
        }
        Expr operand = argument();
        if (!endsCommand(peek())) {
            throw source.error(peek().offset(), "unexpected " + peek().describe() + " after " + t.describe()
                    + " (only a function takes arguments)");
        }
        if (stage > 0) {
            throw source.error(t.offset(), t.describe() + " cannot follow \"|\" (only a function can take the piped value)");
        }
        return operand;
    }

    private Expr argument() throws TemplateException {
        Token t = tokens.get(next++);
        return switch (t.kind()) {
            case STRING, NUMBER, BOOLEAN, NIL -> new Expr.Literal(t.value(), t.offset());
            case DOT -> new Expr.Dot(t.offset());
            case IDENTIFIER -> {
                TemplateFunction function = function(t);
                checkArity(function, 0, false, t);
                yield new Call(function, List.of(), t.offset());
            }
            case LEFT_PAREN -> {
                if (peek().kind() == Kind.RIGHT_PAREN) {
                    throw source.error(t.offset(), "empty parentheses");
                }
                Expr inner = pipeline(Kind.RIGHT_PAREN, t);
                next++; // the ")"
                yield inner;
            }
            case FIELD -> throw source.error(t.offset(), "field " + t.text() + " is not supported: templates have no dot"
                    + " context; use lookup \"data.<key>\" or lookup \"facts.<key>\"");
            default -> throw source.error(t.offset(), "unexpected " + t.describe());
        };
    }

    private TemplateFunction function(Token name) throws TemplateException {
        if (KEYWORDS.contains(name.text())) {
            throw source.error(name.offset(), "\"" + name.text() + "\" is not supported (only function calls, literals"
                    + " and pipes are)");
        }
        var function = TemplateFunctions.named(name.text());
        if (function.isEmpty()) {
            String hint = TemplateFunctions.closestTo(name.text()).map(s -> "(did you mean \"" + s + "\"?)").orElse("");
            throw source.error(name.offset(), "unknown function \"" + name.text() + "\"", hint);
        }
        return function.get();
    }

    private void checkArity(TemplateFunction function, int written, boolean piped, Token at) throws TemplateException {
        int given = written + (piped ? 1 : 0);
        if (given != function.arity()) {
            throw source.error(at.offset(), "wrong number of arguments for " + function.name() + ": want "
                    + function.arity() + ", got " + given + (piped ? " (with the piped value)" : ""));
        }
    }

    private static boolean endsCommand(Token t) {
        return t.kind() == Kind.PIPE || t.kind() == Kind.CLOSE || t.kind() == Kind.RIGHT_PAREN;
    }

    /** The next token; the lexer ends every action with "}}", so inside one there always is a next token. */
    private Token peek() {
        return tokens.get(next);
    }
}
