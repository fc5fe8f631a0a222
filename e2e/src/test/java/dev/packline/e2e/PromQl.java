package dev.packline.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A small PromQL parser: enough of the grammar (selectors, range and subquery brackets, offset
 * and @, functions, aggregations with by/without before or after their arguments, binary
 * operators with precedence, bool, on/ignoring and group_left/group_right) to find every metric,
 * label matcher and grouping label an expression uses. It builds a tree; it does not evaluate.
 * Malformed input fails with the position and what was expected.
 */
final class PromQl {
    /** A parsed expression. */
    sealed interface Node permits Selector, Aggregation, Call, Binary, Unary, NumberLiteral, StringLiteral {
    }

    /** {@code metric{label op "value", ...}}, possibly with a range; {@code metric} is null for a bare {@code {...}}. */
    record Selector(String metric, List<Matcher> matchers) implements Node {
    }

    record Matcher(String label, String op, String value) {
    }

    /** {@code op by|without (grouping) (args)}; the vector is the last argument (topk, quantile and count_values take a parameter first). */
    record Aggregation(String op, List<String> grouping, boolean without, List<Node> args) implements Node {
        Node vector() {
            return args.get(args.size() - 1);
        }
    }

    record Call(String function, List<Node> args) implements Node {
    }

    /**
     * {@code left op right}; {@code matching} is null without on/ignoring; {@code include} holds
     * group_left/group_right labels, {@code group} is "group_left", "group_right" or null.
     */
    record Binary(String op, Node left, Node right, List<String> matching, boolean ignoring, String group, List<String> include)
            implements Node {
    }

    record Unary(String op, Node operand) implements Node {
    }

    record NumberLiteral(double value) implements Node {
    }

    record StringLiteral(String value) implements Node {
    }

    static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
            "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> SET_OPERATORS = Set.of("and", "or", "unless");

    private final String text;
    private final List<Token> tokens;
    private int at;

    private PromQl(String text) {
        this.text = text;
        this.tokens = lex(text);
    }

    /** Parses one expression; throws {@link IllegalArgumentException} naming the position and what was expected. */
    static Node parse(String expression) {
        PromQl parser = new PromQl(expression);
        Node node = parser.expression(0);
        if (parser.peek().kind != Kind.END) {
            throw parser.error("end of expression");
        }
        return node;
    }

    // ---------------------------------------------------------------- grammar

    private Node expression(int minPrecedence) {
        Node left = unary();
        while (true) {
            Token op = peek();
            int precedence = precedence(op);
            if (precedence < 0 || precedence < minPrecedence) {
                return left;
            }
            at++;
            String operator = op.text.toLowerCase(Locale.ROOT);
            if (peekWord("bool")) {
                at++;
            }
            List<String> matching = null;
            boolean ignoring = false;
            String group = null;
            List<String> include = List.of();
            if (peekWord("on") || peekWord("ignoring")) {
                ignoring = next().text.equals("ignoring");
                matching = labelList();
                if (peekWord("group_left") || peekWord("group_right")) {
                    group = next().text;
                    include = peek().is("(") ? labelList() : List.of();
                }
            }
            boolean rightAssociative = operator.equals("^");
            Node right = expression(rightAssociative ? precedence : precedence + 1);
            left = new Binary(operator, left, right, matching, ignoring, group, include);
        }
    }

    private static int precedence(Token token) {
        if (token.kind == Kind.WORD) {
            return switch (token.text.toLowerCase(Locale.ROOT)) {
                case "or" -> 1;
                case "and", "unless" -> 2;
                case "atan2" -> 5;
                default -> -1;
            };
        }
        if (token.kind != Kind.OPERATOR) {
            return -1;
        }
        return switch (token.text) {
            case "==", "!=", "<=", ">=", "<", ">" -> 3;
            case "+", "-" -> 4;
            case "*", "/", "%" -> 5;
            case "^" -> 6;
            default -> -1;
        };
    }

    private Node unary() {
        if (peek().is("-") || peek().is("+")) {
            String op = next().text;
            return new Unary(op, unary());
        }
        return postfix(primary());
    }

    private Node postfix(Node node) {
        while (true) {
            if (peek().is("[")) {
                next();
                expect(Kind.WORD_OR_NUMBER, "a duration such as 5m");
                if (peek().is(":")) {
                    next();
                    if (!peek().is("]")) {
                        expect(Kind.WORD_OR_NUMBER, "a subquery step such as 1m");
                    }
                }
                expectSymbol("]");
            } else if (peekWord("offset")) {
                next();
                if (peek().is("-")) {
                    next();
                }
                expect(Kind.WORD_OR_NUMBER, "a duration after offset");
            } else if (peek().is("@")) {
                next();
                if (peek().kind == Kind.NUMBER) {
                    next();
                } else {
                    Token fn = expect(Kind.WORD_OR_NUMBER, "a timestamp, start() or end() after @");
                    if (!fn.text.equals("start") && !fn.text.equals("end")) {
                        throw error("a timestamp, start() or end() after @");
                    }
                    expectSymbol("(");
                    expectSymbol(")");
                }
            } else {
                return node;
            }
        }
    }

    private Node primary() {
        Token token = peek();
        switch (token.kind) {
            case NUMBER -> {
                next();
                return new NumberLiteral(number(token));
            }
            case STRING -> {
                next();
                return new StringLiteral(token.text);
            }
            case SYMBOL -> {
                if (token.is("(")) {
                    next();
                    Node inner = expression(0);
                    expectSymbol(")");
                    return inner;
                }
                if (token.is("{")) {
                    return new Selector(null, matchers());
                }
                throw error("an expression");
            }
            case WORD -> {
                next();
                String word = token.text;
                String lower = word.toLowerCase(Locale.ROOT);
                if (lower.equals("inf") || lower.equals("nan")) {
                    return new NumberLiteral(lower.equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN);
                }
                if (AGGREGATIONS.contains(word) && (peek().is("(") || peekWord("by") || peekWord("without"))) {
                    return aggregation(word);
                }
                if (SET_OPERATORS.contains(lower) || Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset")
                        .contains(lower)) {
                    at--;
                    throw error("a metric name, not the keyword '" + word + "'");
                }
                if (peek().is("(")) {
                    return new Call(word, arguments());
                }
                return new Selector(word, peek().is("{") ? matchers() : List.of());
            }
            default -> throw error("an expression");
        }
    }

    private Node aggregation(String op) {
        List<String> grouping = List.of();
        boolean without = false;
        boolean groupingSeen = false;
        if (peekWord("by") || peekWord("without")) {
            without = next().text.equals("without");
            grouping = labelList();
            groupingSeen = true;
        }
        List<Node> args = arguments();
        if (args.isEmpty()) {
            throw error("an argument to " + op);
        }
        if (!groupingSeen && (peekWord("by") || peekWord("without"))) {
            without = next().text.equals("without");
            grouping = labelList();
        }
        return new Aggregation(op, grouping, without, args);
    }

    private List<Node> arguments() {
        expectSymbol("(");
        List<Node> args = new ArrayList<>();
        if (!peek().is(")")) {
            args.add(expression(0));
            while (peek().is(",")) {
                next();
                args.add(expression(0));
            }
        }
        expectSymbol(")");
        return args;
    }

    private List<String> labelList() {
        expectSymbol("(");
        List<String> labels = new ArrayList<>();
        while (!peek().is(")")) {
            labels.add(expect(Kind.WORD_OR_NUMBER, "a label name").text);
            if (!peek().is(",")) {
                break;
            }
            next();
        }
        expectSymbol(")");
        return labels;
    }

    private List<Matcher> matchers() {
        expectSymbol("{");
        List<Matcher> matchers = new ArrayList<>();
        while (!peek().is("}")) {
            String label = expect(Kind.WORD_OR_NUMBER, "a label name").text;
            Token op = next();
            if (op.kind != Kind.OPERATOR || !Set.of("=", "!=", "=~", "!~").contains(op.text)) {
                at--;
                throw error("=, !=, =~ or !~ after label " + label);
            }
            matchers.add(new Matcher(label, op.text, expect(Kind.STRING, "a quoted label value").text));
            if (!peek().is(",")) {
                break;
            }
            next();
        }
        expectSymbol("}");
        return matchers;
    }

    // ---------------------------------------------------------------- tokens

    private enum Kind { WORD, NUMBER, STRING, OPERATOR, SYMBOL, END, WORD_OR_NUMBER }

    private record Token(Kind kind, String text, int position) {
        boolean is(String symbol) {
            return (kind == Kind.SYMBOL || kind == Kind.OPERATOR) && text.equals(symbol);
        }
    }

    private Token peek() {
        return tokens.get(at);
    }

    private boolean peekWord(String word) {
        return peek().kind == Kind.WORD && peek().text.equals(word);
    }

    private Token next() {
        return tokens.get(at++);
    }

    private Token expect(Kind kind, String what) {
        Token token = peek();
        boolean ok = kind == Kind.WORD_OR_NUMBER ? token.kind == Kind.WORD || token.kind == Kind.NUMBER : token.kind == kind;
        if (!ok) {
            throw error(what);
        }
        return next();
    }

    private void expectSymbol(String symbol) {
        if (!peek().is(symbol)) {
            throw error("'" + symbol + "'");
        }
        next();
    }

    private IllegalArgumentException error(String expected) {
        Token token = peek();
        String found = token.kind == Kind.END ? "the end" : "'" + token.text + "'";
        return new IllegalArgumentException("PromQL: expected " + expected + " at position " + token.position + " but found " + found
                + " in: " + text);
    }

    private double number(Token token) {
        try {
            return token.text.startsWith("0x") ? Long.parseLong(token.text.substring(2), 16) : Double.parseDouble(token.text);
        } catch (NumberFormatException e) {
            at--;
            throw error("a number");
        }
    }

    private static List<Token> lex(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') { // a comment runs to the end of the line
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_') { // colons only inside names (recording rules), so [30m:1m] lexes as a subquery
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == ':')) {
                    i++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(start, i), start));
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
                // numbers and durations (5m, 1h30m) alike; exponents may carry a sign (1e-3)
                int start = i;
                while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.'
                        || ((text.charAt(i) == '-' || text.charAt(i) == '+') && (text.charAt(i - 1) == 'e' || text.charAt(i - 1) == 'E')
                        && Character.isDigit(text.charAt(start)) && !text.substring(start, i).startsWith("0x")))) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, text.substring(start, i), start));
            } else if (c == '"' || c == '\'' || c == '`') {
                int start = i++;
                StringBuilder value = new StringBuilder();
                while (i < text.length() && text.charAt(i) != c) {
                    if (text.charAt(i) == '\\' && c != '`' && i + 1 < text.length()) {
                        char escaped = text.charAt(++i);
                        value.append(switch (escaped) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> escaped;
                        });
                    } else {
                        value.append(text.charAt(i));
                    }
                    i++;
                }
                if (i >= text.length()) {
                    throw new IllegalArgumentException("PromQL: unterminated string starting at position " + start + " in: " + text);
                }
                i++;
                tokens.add(new Token(Kind.STRING, value.toString(), start));
            } else {
                String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
                if (Set.of("==", "!=", "<=", ">=", "=~", "!~").contains(two)) {
                    tokens.add(new Token(Kind.OPERATOR, two, i));
                    i += 2;
                } else if ("+-*/%^<>=".indexOf(c) >= 0) {
                    tokens.add(new Token(Kind.OPERATOR, String.valueOf(c), i));
                    i++;
                } else if ("(){}[],:@".indexOf(c) >= 0) {
                    tokens.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
                    i++;
                } else {
                    throw new IllegalArgumentException("PromQL: unexpected character '" + c + "' at position " + i + " in: " + text);
                }
            }
        }
        tokens.add(new Token(Kind.END, "", text.length()));
        return tokens;
    }
}
