package org.supvisors.test;

import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON the test programs print their typed results as (no dependency), read back by the tap
 * tests. Maps keep their order (a TreeMap sorts, a LinkedHashMap keeps the server's order);
 * a Float is written as Float.toString writes it, a non-finite number as null, byte[] as base64.
 */
final class Json {

    private Json() {
    }

    static String of(final Object value) {
        final StringBuilder out = new StringBuilder();
        write(out, value);
        return out.toString();
    }

    static void write(final StringBuilder out, final Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            quote(out, (String) value);
        } else if (value instanceof Float || value instanceof Double) {
            final double d = ((Number) value).doubleValue();
            out.append(!Double.isFinite(d) ? "null" : value instanceof Float ? Float.toString((Float) value) : Double.toString(d));
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof byte[]) {
            quote(out, Base64.getEncoder().encodeToString((byte[]) value));
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                quote(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof Collection || value instanceof Object[]) {
            final Collection<?> items = value instanceof Object[] ? Arrays.asList((Object[]) value) : (Collection<?>) value;
            out.append('[');
            boolean first = true;
            for (Object item : items) {
                out.append(first ? "" : ",");
                first = false;
                write(out, item);
            }
            out.append(']');
        } else {
            quote(out, value.toString());
        }
    }

    private static void quote(final StringBuilder out, final String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
