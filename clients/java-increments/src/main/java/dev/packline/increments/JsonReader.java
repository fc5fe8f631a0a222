package dev.packline.increments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for the increments' headers and chunk data, so this module
 * needs no library: objects become LinkedHashMaps, arrays ArrayLists, numbers Longs (or Doubles when
 * they have a fraction or exponent), and strings keep lone surrogates from \\u escapes, which chunk
 * increments rely on.
 */
final class JsonReader {
    private final String text;
    private int at;

    private JsonReader(String text) {
        this.text = text;
    }

    static Object parse(String text, String what) throws IncrementException {
        JsonReader reader = new JsonReader(text);
        try {
            Object value = reader.value();
            reader.whitespace();
            if (reader.at != text.length()) {
                throw reader.error("text after the value");
            }
            return value;
        } catch (StringIndexOutOfBoundsException e) {
            throw new IncrementException(IncrementException.Kind.CORRUPT, what + " is not valid JSON: it ends early");
        } catch (IllegalArgumentException e) {
            throw new IncrementException(IncrementException.Kind.CORRUPT, what + " is not valid JSON: " + e.getMessage());
        }
    }

    private Object value() {
        whitespace();
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> object = new LinkedHashMap<String, Object>();
        at++;
        whitespace();
        if (text.charAt(at) == '}') {
            at++;
            return object;
        }
        while (true) {
            whitespace();
            if (text.charAt(at) != '"') {
                throw error("expected a member name");
            }
            String name = string();
            whitespace();
            expect(':');
            object.put(name, value());
            whitespace();
            if (text.charAt(at) == ',') {
                at++;
            } else {
                expect('}');
                return object;
            }
        }
    }

    private List<Object> array() {
        List<Object> array = new ArrayList<Object>();
        at++;
        whitespace();
        if (text.charAt(at) == ']') {
            at++;
            return array;
        }
        while (true) {
            array.add(value());
            whitespace();
            if (text.charAt(at) == ',') {
                at++;
            } else {
                expect(']');
                return array;
            }
        }
    }

    private String string() {
        at++;
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                throw error("a control character inside a string");
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escape = text.charAt(at++);
            switch (escape) {
                case '"': value.append('"'); break;
                case '\\': value.append('\\'); break;
                case '/': value.append('/'); break;
                case 'b': value.append('\b'); break;
                case 'f': value.append('\f'); break;
                case 'n': value.append('\n'); break;
                case 'r': value.append('\r'); break;
                case 't': value.append('\t'); break;
                case 'u':
                    value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                    break;
                default:
                    throw error("the escape \\" + escape);
            }
        }
    }

    private Object number() {
        int start = at;
        if (text.charAt(at) == '-') {
            at++;
        }
        boolean fraction = false;
        while (at < text.length() && "0123456789.eE+-".indexOf(text.charAt(at)) >= 0) {
            fraction |= "eE.".indexOf(text.charAt(at)) >= 0;
            at++;
        }
        String number = text.substring(start, at);
        if (number.isEmpty() || number.equals("-")) {
            throw error("an unexpected character '" + text.charAt(start) + "'");
        }
        return fraction ? (Object) Double.valueOf(number) : (Object) Long.valueOf(number);
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("an unexpected word");
        }
        at += word.length();
        return value;
    }

    private void expect(char c) {
        if (text.charAt(at) != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private void whitespace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
            at++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + at);
    }
}
