package org.supvisors.event;

import java.util.HashMap;
import java.util.ArrayList;

/**
 * A small JSON reader for event bodies, giving the values the shapes an XML-RPC struct has in this
 * client, so the HashMap constructors of org.supvisors.common take them from either source:
 * an object is a HashMap&lt;String, Object&gt;, an array an Object[], a number written without a
 * fraction or exponent an Integer (a Long beyond its range), any other number a Double.
 * The daemon writes floats with a decimal point (as Python's json does), so a float key is a Double.
 */
final class EventJson {

    private final String text;
    private int pos;

    private EventJson(final String text) {
        this.text = text;
    }

    /** Parses one JSON value; IllegalArgumentException if the text is not JSON. */
    static Object parse(final String text) {
        final EventJson reader = new EventJson(text);
        reader.blank();
        final Object value = reader.value();
        reader.blank();
        if (reader.pos != text.length()) {
            throw reader.error("trailing characters");
        }
        return value;
    }

    private IllegalArgumentException error(final String what) {
        return new IllegalArgumentException("bad JSON at offset " + pos + ": " + what);
    }

    private void blank() {
        while (pos < text.length()) {
            final char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private void expect(final char c) {
        if (peek() != c) {
            throw error("'" + c + "' expected");
        }
        pos++;
    }

    private boolean word(final String w) {
        if (text.startsWith(w, pos)) {
            pos += w.length();
            return true;
        }
        return false;
    }

    private Object value() {
        final char c = peek();
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            default:
                if (word("true")) {
                    return Boolean.TRUE;
                }
                if (word("false")) {
                    return Boolean.FALSE;
                }
                if (word("null")) {
                    return null;
                }
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                // Python's json writes these for non-finite floats
                if (word("NaN")) {
                    return Double.NaN;
                }
                if (word("Infinity")) {
                    return Double.POSITIVE_INFINITY;
                }
                throw error("a value expected");
        }
    }

    private HashMap<String, Object> object() {
        expect('{');
        final HashMap<String, Object> map = new HashMap<String, Object>();
        blank();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            blank();
            final String key = string();
            blank();
            expect(':');
            blank();
            map.put(key, value());
            blank();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect('}');
            return map;
        }
    }

    private Object[] array() {
        expect('[');
        final ArrayList<Object> list = new ArrayList<Object>();
        blank();
        if (peek() == ']') {
            pos++;
            return list.toArray();
        }
        while (true) {
            blank();
            list.add(value());
            blank();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect(']');
            return list.toArray();
        }
    }

    private String string() {
        expect('"');
        final StringBuilder out = new StringBuilder();
        while (true) {
            final char c = peek();
            pos++;
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            final char e = peek();
            pos++;
            switch (e) {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    if (pos + 4 > text.length()) {
                        throw error("short \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                    break;
                default:
                    throw error("bad escape");
            }
        }
    }

    private Object number() {
        final int start = pos;
        boolean integral = true;
        if (peek() == '-') {
            pos++;
            if (word("Infinity")) {
                return Double.NEGATIVE_INFINITY;
            }
        }
        while (pos < text.length()) {
            final char c = text.charAt(pos);
            if (c >= '0' && c <= '9') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
                integral = false;
                pos++;
            } else {
                break;
            }
        }
        final String literal = text.substring(start, pos);
        try {
            if (integral) {
                final long value = Long.parseLong(literal);
                if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                    return Integer.valueOf((int) value);
                }
                return Long.valueOf(value);
            }
            return Double.valueOf(literal);
        } catch (NumberFormatException ex) {
            throw error("bad number " + literal);
        }
    }
}
