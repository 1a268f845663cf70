package dev.tend.machine.expression.jexl;

import dev.tend.machine.expression.Environment;
import dev.tend.machine.expression.ExpressionFunction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates expr tokens to JEXL text, token by token, keeping each piece's position. What differs is rewritten:
 * {@code and}/{@code or}/{@code not} to {@code &&}/{@code ||}/{@code !}, {@code nil} to {@code null}, {@code in} and
 * {@code matches} to {@code =~}, {@code contains} to {@code ===} (which {@link ExprArithmetic} gives the meaning of
 * expr's {@code contains}), {@code startsWith}/{@code endsWith} to {@code =^}/{@code =$}, their {@code not} forms to the
 * negated operators, {@code a.b} to {@code a['b']}, {@code f(x)} to a call through the {@code fn} namespace, variables
 * to {@code __vN}, identifier keys of map literals to strings, numbers and strings to JEXL literals. The pipe
 * {@code x | f(a)} becomes the call {@code f(x, a)}: expr gives {@code |} the lowest precedence of all binary operators,
 * so its left operand is everything written before it back to the start of the expression, of the innermost bracket's
 * element or argument, or of the ternary's branch (a "segment"); JEXL's own {@code |} (bitwise or) is never emitted.
 * What JEXL cannot express with expr's meaning is refused, with its position.
 */
final class Translator {

    /** expr's built-in functions that take a predicate: not supported. */
    private static final Set<String> PREDICATE_FUNCTIONS = Set.of("all", "any", "one", "none", "map", "filter", "find",
            "findIndex", "findLast", "findLastIndex", "groupBy", "sortBy", "reduce");
    private static final Set<String> DATE_FUNCTIONS = Set.of("now", "duration", "date", "timezone");
    private static final Map<String, String> BINARY_WORDS = Map.of("and", "&&", "or", "||", "in", "=~",
            "matches", "=~", "contains", "===", "startsWith", "=^", "endsWith", "=$");
    private static final Map<String, String> NEGATED_WORDS = Map.of("in", "!~", "matches", "!~", "contains", "!==",
            "startsWith", "!^", "endsWith", "!$");
    /** Tokens after which a string literal is a whole operand of {@code matches}. */
    private static final Set<String> OPERAND_ENDS = Set.of(")", "]", "}", ",", "&&", "||", "?", ":", "==", "!=", "|");
    /** Identifiers that cannot name the function a pipe calls. */
    private static final Set<String> NOT_FUNCTIONS = Set.of("true", "false", "nil", "not", "let", "if", "else");

    private enum Bracket { GROUP, CALL, INDEX, ARRAY, MAP }

    /** An open bracket; for a call, the function and the arguments seen so far. */
    private static final class Open {
        final Bracket kind;
        final ExpressionFunction function;
        final int start;
        /** Where its operand starts in the JEXL text: its own bracket, or for an index, what it indexes. */
        int outStart;
        /** Where its current element, argument or ternary branch starts in the JEXL text: what a pipe takes. */
        int segmentStart;
        int arguments;
        boolean expectKey;
        /** A call that a pipe made: nothing may follow its ")" but an operator, as in expr. */
        boolean piped;

        Open(Bracket kind, ExpressionFunction function, int start) {
            this.kind = kind;
            this.function = function;
            this.start = start;
        }
    }

    /**
     * A {@code ??} whose right operand is not closed yet: expr binds {@code ??} tighter than any other binary operator,
     * JEXL looser, so the translation puts its operands in parentheses.
     *
     * @param depth  the number of open brackets around it
     * @param openAt where its opening parenthesis is in the JEXL text
     */
    private record Coalescing(int depth, int openAt) {
    }

    /** A problem at an offset of the expr text. */
    static final class TranslationException extends Exception {
        final int offset;

        TranslationException(String message, int offset) {
            super(message);
            this.offset = offset;
        }
    }

    private final List<Token> tokens;
    private final Environment declared;
    private final StringBuilder out = new StringBuilder();
    private final TreeMap<Integer, Integer> origins = new TreeMap<>();
    private final Map<String, Integer> variables = new LinkedHashMap<>();
    private final Deque<Open> open = new ArrayDeque<>();
    private final Deque<Coalescing> coalescing = new ArrayDeque<>();
    /** Where the last piece emitted starts in the JEXL text. */
    private int lastEmitted;
    /** Where the last complete operand (a primary with its field accesses, indexes, call) starts in the JEXL text. */
    private int operandStart = -1;
    /** {@link Open#segmentStart} of the expression itself, outside any bracket. */
    private int topSegmentStart;
    private boolean usesEnvironment;
    private int i;

    private Translator(List<Token> tokens, Environment declared) {
        this.tokens = tokens;
        this.declared = declared;
    }

    static Translation translate(List<Token> tokens, Environment declared) throws TranslationException {
        return new Translator(tokens, declared).run();
    }

    private Translation run() throws TranslationException {
        if (tokens.get(0).kind() == Token.Kind.END) {
            throw new TranslationException("unexpected end of expression", 0);
        }
        for (i = 0; tokens.get(i).kind() != Token.Kind.END; i++) {
            Token t = tokens.get(i);
            closeCoalescing(t);
            switch (t.kind()) {
                case IDENTIFIER -> identifier(t);
                case NUMBER -> operand(number(t.value()), t);
                case STRING -> operand(JexlText.string(t.text()), t);
                default -> operator(t);
            }
        }
        closeCoalescing(tokens.get(i));
        if (!open.isEmpty()) {
            Open o = open.peek();
            throw new TranslationException("unclosed \"" + opening(o.kind) + "\"", o.start);
        }
        return new Translation(out.toString(), origins, new ArrayList<>(variables.keySet()), usesEnvironment);
    }

    private static String opening(Bracket kind) {
        return switch (kind) {
            case GROUP, CALL -> "(";
            case INDEX, ARRAY -> "[";
            case MAP -> "{";
        };
    }

    private void identifier(Token t) throws TranslationException {
        String word = t.text();
        Token next = tokens.get(i + 1);
        if (open.peek() != null && open.peek().kind == Bracket.MAP && open.peek().expectKey && next.is(":")) {
            emit(JexlText.string(word), t);
            return;
        }
        switch (word) {
            case "true", "false" -> operand(word, t);
            case "nil" -> operand("null", t);
            case "not" -> {
                if (endsOperand(i - 1) && next.kind() == Token.Kind.IDENTIFIER && NEGATED_WORDS.containsKey(next.text())) {
                    i++;
                    binaryWord(next, NEGATED_WORDS.get(next.text()), true);
                } else {
                    emit("!", t);
                }
            }
            case "let" -> throw new TranslationException("variables (let) are not supported", t.start());
            case "if", "else" -> throw new TranslationException("if/else is not supported: use the ternary a ? b : c",
                    t.start());
            case "$env" -> throw new TranslationException("$env is not supported", t.start());
            default -> {
                if (BINARY_WORDS.containsKey(word)) {
                    binaryWord(t, BINARY_WORDS.get(word), endsOperand(i - 1));
                } else if (next.is("(")) {
                    call(t);
                } else if (declared.hasVariable(word)) {
                    int index = variables.computeIfAbsent(word, w -> variables.size());
                    usesEnvironment = true;
                    operand(Translation.variableName(index), t);
                } else {
                    throw new TranslationException("unknown name " + word, t.start());
                }
            }
        }
    }

    private void binaryWord(Token t, String jexlOperator, boolean afterOperand) throws TranslationException {
        if (!afterOperand) {
            throw new TranslationException("unexpected token Operator(\"" + t.text() + "\")", t.start());
        }
        emit(jexlOperator, t);
        if (t.text().equals("matches")) {
            checkLiteralRegex();
        }
    }

    /** A literal regular expression after {@code matches} is compiled now, as expr does. */
    private void checkLiteralRegex() throws TranslationException {
        Token pattern = tokens.get(i + 1);
        Token after = tokens.get(i + 2);
        boolean whole = after.kind() == Token.Kind.END || (after.kind() == Token.Kind.OPERATOR
                && OPERAND_ENDS.contains(after.text())) || after.isWord("and") || after.isWord("or");
        if (pattern.kind() == Token.Kind.STRING && whole) {
            try {
                Pattern.compile(pattern.text());
            } catch (PatternSyntaxException e) {
                throw new TranslationException("error parsing regexp: " + e.getDescription(), pattern.start());
            }
        }
    }

    private void call(Token t) throws TranslationException {
        Open call = new Open(Bracket.CALL, function(t), t.start());
        emit("fn:call(" + JexlText.string(t.text()), t);
        call.outStart = lastEmitted;
        i++; // the "("
        if (tokens.get(i + 1).is(")")) {
            call.arguments = 0;
        } else {
            call.arguments = 1;
            emit(",", tokens.get(i));
        }
        call.segmentStart = out.length();
        open.push(call);
    }

    /** The function a call names: the environment's, else the built-in one; refused when there is none. */
    private ExpressionFunction function(Token t) throws TranslationException {
        String name = t.text();
        Optional<ExpressionFunction> function = declared.function(name);
        if (function.isPresent()) {
            usesEnvironment = true;
            return function.get();
        }
        function = Builtins.function(name);
        if (function.isEmpty()) {
            if (PREDICATE_FUNCTIONS.contains(name)) {
                throw new TranslationException(name + "() takes a predicate: predicates are not supported", t.start());
            }
            if (DATE_FUNCTIONS.contains(name)) {
                throw new TranslationException(name + "(): date functions are not supported", t.start());
            }
            throw new TranslationException("unknown func " + name, t.start());
        }
        return function.get();
    }

    /**
     * {@code x | f(a, b)} becomes {@code f(x, a, b)}: the call's head is inserted before the segment that ends here (its
     * left operand), and the call's own arguments follow. {@code i} is at the {@code |}; it is left at the call's
     * {@code (}, whose {@code )} {@link #close} handles as any call's.
     */
    private void pipe(Token bar) throws TranslationException {
        if (!endsOperand(i - 1)) {
            throw new TranslationException("unexpected token Operator(\"|\")", bar.start());
        }
        Token name = tokens.get(i + 1);
        boolean named = name.kind() == Token.Kind.IDENTIFIER && !BINARY_WORDS.containsKey(name.text())
                && !NOT_FUNCTIONS.contains(name.text());
        if (!named || !tokens.get(i + 2).is("(")) {
            String found = switch (name.kind()) {
                case END -> "the end";
                case STRING -> "a string";
                case NUMBER -> name.text();
                default -> named ? name.text() + " without \"(\"" : "\"" + name.text() + "\"";
            };
            throw new TranslationException("the pipe | passes its value to a function call, as in x | lower(): found "
                    + found, name.kind() == Token.Kind.END ? bar.start() : name.start());
        }
        Open call = new Open(Bracket.CALL, function(name), name.start());
        call.piped = true;
        int at = segmentStart();
        String call0 = "fn:call(" + JexlText.string(name.text()) + " ,";
        String head = at > 0 ? " " + call0 : call0 + " "; // what follows "at" starts with a space, unless at is 0
        insert(at, head, name.start());
        call.outStart = at > 0 ? at + 1 : at;
        i += 2; // the name and the "("
        if (tokens.get(i + 1).is(")")) {
            call.arguments = 1;
        } else {
            call.arguments = 2;
            emit(",", tokens.get(i));
        }
        call.segmentStart = out.length();
        open.push(call);
    }

    private int segmentStart() {
        Open o = open.peek();
        return o == null ? topSegmentStart : o.segmentStart;
    }

    /** A new element, argument or ternary branch of the innermost bracket (or of the expression) starts here. */
    private void markSegment() {
        Open o = open.peek();
        if (o == null) {
            topSegmentStart = out.length();
        } else {
            o.segmentStart = out.length();
        }
    }

    private void operator(Token t) throws TranslationException {
        String op = t.text();
        switch (op) {
            case "**", "^" -> throw new TranslationException("the power operator " + op + " is not supported",
                    t.start());
            case ".." -> throw new TranslationException("ranges (..) are not supported", t.start());
            case "|" -> pipe(t);
            case ";" -> throw new TranslationException("only one expression is allowed (found \";\")", t.start());
            case "#" -> throw new TranslationException("predicates (#) are not supported", t.start());
            case "=" -> throw new TranslationException("unexpected \"=\": compare with ==", t.start());
            case "&", "~", "@" -> throw new TranslationException("unexpected token Operator(\"" + op + "\")",
                    t.start());
            case "." -> member(t, "");
            case "?." -> {
                if (tokens.get(i + 1).is("[")) {
                    throw new TranslationException("?.[ is not supported: use ?. with a field name", t.start());
                }
                member(t, "?");
            }
            case "(" -> {
                open.push(new Open(Bracket.GROUP, null, t.start()));
                emit("(", t);
                open.peek().outStart = lastEmitted;
                markSegment();
            }
            case "[" -> {
                boolean index = endsOperand(i - 1);
                open.push(new Open(index ? Bracket.INDEX : Bracket.ARRAY, null, t.start()));
                emit("[", t);
                open.peek().outStart = index ? operandStart : lastEmitted; // an index continues its operand
                markSegment();
            }
            case "??" -> {
                if (!endsOperand(i - 1)) {
                    throw new TranslationException("unexpected token Operator(\"??\")", t.start());
                }
                parenthesizeFrom(operandStart);
                coalescing.push(new Coalescing(open.size(), operandStart));
                emit("??", t);
            }
            case "{" -> {
                if (endsOperand(i - 1)) {
                    throw new TranslationException("unexpected token Bracket(\"{\")", t.start());
                }
                Open map = new Open(Bracket.MAP, null, t.start());
                map.expectKey = true;
                open.push(map);
                emit("{", t);
                map.outStart = lastEmitted;
                markSegment();
            }
            case ")", "]", "}" -> close(t);
            case "," -> {
                Open o = open.peek();
                if (o == null) {
                    throw new TranslationException("unexpected token Operator(\",\")", t.start());
                }
                if (o.kind == Bracket.CALL) {
                    o.arguments++;
                } else if (o.kind == Bracket.MAP) {
                    o.expectKey = true;
                }
                emit(",", t);
                markSegment();
            }
            case ":" -> {
                Open o = open.peek();
                if (o != null && o.kind == Bracket.INDEX) {
                    throw new TranslationException("slices ([a:b]) are not supported", t.start());
                }
                if (o != null && o.kind == Bracket.MAP) {
                    o.expectKey = false;
                }
                emit(":", t);
                markSegment();
            }
            case "?" -> {
                emit("?", t);
                markSegment();
            }
            default -> emit(op, t);
        }
    }

    /** {@code .name} becomes {@code ['name']}; {@code ?.name} becomes JEXL's {@code ?.'name'}. */
    private void member(Token dot, String safe) throws TranslationException {
        Token name = tokens.get(i + 1);
        if (name.kind() != Token.Kind.IDENTIFIER) {
            throw new TranslationException("expected name after \"" + dot.text() + "\"", name.start());
        }
        if (tokens.get(i + 2).is("(")) {
            throw new TranslationException("method calls are not supported: ." + name.text() + "()", name.start());
        }
        if (!endsOperand(i - 1)) {
            throw new TranslationException("unexpected token Operator(\"" + dot.text() + "\")", dot.start());
        }
        emit(safe.isEmpty() ? "[" + JexlText.string(name.text()) + "]" : "?." + JexlText.string(name.text()), dot);
        i++;
    }

    private void close(Token t) throws TranslationException {
        Open o = open.poll();
        String expected = o == null ? null : switch (o.kind) {
            case GROUP, CALL -> ")";
            case INDEX, ARRAY -> "]";
            case MAP -> "}";
        };
        if (!t.text().equals(expected)) {
            throw new TranslationException("unexpected token Bracket(\"" + t.text() + "\")", t.start());
        }
        if (o.kind == Bracket.CALL) {
            ExpressionFunction f = o.function;
            if (o.arguments < f.minArgs() || o.arguments > f.maxArgs()) {
                String expectedCount = f.minArgs() == f.maxArgs() ? String.valueOf(f.minArgs())
                        : f.minArgs() + " to " + f.maxArgs();
                throw new TranslationException("invalid number of arguments to " + f.name() + " (expected "
                        + expectedCount + ", got " + o.arguments + ")", o.start);
            }
        }
        emit(t.text(), t);
        operandStart = o.outStart;
        Token next = tokens.get(i + 1);
        if (o.piped && (next.is(".") || next.is("?.") || next.is("["))) {
            throw new TranslationException("unexpected token " + (next.is("[") ? "Bracket" : "Operator") + "(\""
                    + next.text() + "\") after a pipe: put the pipe in parentheses, as in (x | f())"
                    + (next.is("[") ? "[0]" : next.text() + "name"), next.start());
        }
    }

    /** Whether the token at {@code index} ends an operand (so what follows is a binary operator). */
    private boolean endsOperand(int index) {
        if (index < 0) {
            return false;
        }
        Token t = tokens.get(index);
        return switch (t.kind()) {
            case NUMBER, STRING -> true;
            case IDENTIFIER -> !BINARY_WORDS.containsKey(t.text()) && !t.text().equals("not");
            case OPERATOR -> t.text().equals(")") || t.text().equals("]") || t.text().equals("}");
            case END -> false;
        };
    }

    private void emit(String jexl, Token from) {
        if (out.length() > 0) {
            out.append(' ');
        }
        lastEmitted = out.length();
        origins.put(lastEmitted, from.start());
        out.append(jexl);
    }

    /** A literal or a variable: the start of an operand. */
    private void operand(String jexl, Token from) {
        emit(jexl, from);
        operandStart = lastEmitted;
    }

    /** Inserts "(" at {@code at} of the JEXL text (the start of the left operand of a {@code ??}). */
    private void parenthesizeFrom(int at) {
        java.util.NavigableMap<Integer, Integer> after = origins.tailMap(at, true);
        insert(at, "( ", after.isEmpty() ? 0 : after.firstEntry().getValue());
    }

    /**
     * Inserts {@code text} at {@code at} of the JEXL text, moving the origins of what follows; the inserted piece comes
     * from {@code origin} of the expr text. Only complete pieces may follow {@code at}: every bracket still open and
     * every {@code ??} still open starts before it.
     */
    private void insert(int at, String text, int origin) {
        java.util.NavigableMap<Integer, Integer> after = new TreeMap<>(origins.tailMap(at, true));
        after.keySet().forEach(origins::remove);
        after.forEach((offset, from) -> origins.put(offset + text.length(), from));
        origins.put(text.startsWith(" ") ? at + 1 : at, origin);
        out.insert(at, text);
    }

    /**
     * Closes the parentheses of the {@code ??} at this depth whose right operand ended: {@code t} follows an operand
     * and does not continue it (a field access or an index does).
     */
    private void closeCoalescing(Token t) {
        while (!coalescing.isEmpty() && coalescing.peek().depth() == open.size() && endsOperand(i - 1)
                && !t.is(".") && !t.is("?.") && !t.is("[")) {
            Coalescing c = coalescing.pop();
            emit(")", t);
            operandStart = c.openAt();
        }
    }

    private static String number(Object value) {
        if (value instanceof Long l) {
            return l + "L";
        }
        double d = (Double) value;
        if (Double.isInfinite(d)) {
            return "(1.0d / 0.0d)";
        }
        return java.math.BigDecimal.valueOf(d).toPlainString() + "d";
    }
}
