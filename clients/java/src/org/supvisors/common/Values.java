package org.supvisors.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields of a struct as the XML-RPC client or the event JSON reader gives it
 * (HashMap, Object[], Integer / Long / Double, Boolean, String), tolerant of the number type:
 * an integer field given as a Double, or a float field given as an Integer, is converted.
 * A missing field, or one of an unexpected type, reads as null.
 */
final class Values {

    private Values() {
    }

    static String text(final Map<?, ?> info, final String key) {
        final Object value = info.get(key);
        if (value == null) {
            return null;
        }
        return value instanceof String ? (String) value : String.valueOf(value);
    }

    static Boolean bool(final Map<?, ?> info, final String key) {
        return bool(info.get(key));
    }

    static Integer integer(final Map<?, ?> info, final String key) {
        return integer(info.get(key));
    }

    /** Through Number, so an i8 where an int was expected still fits an Integer getter. */
    static Integer integer(final Object value) {
        return value instanceof Number ? Integer.valueOf(((Number) value).intValue()) : null;
    }

    static Boolean bool(final Object value) {
        return value instanceof Boolean ? (Boolean) value : null;
    }

    static Double real(final Map<?, ?> info, final String key) {
        final Object value = info.get(key);
        return value instanceof Number ? Double.valueOf(((Number) value).doubleValue()) : null;
    }

    /** An array (Object[] or List) as a list of strings; null when the field is not an array. */
    static List<String> strings(final Map<?, ?> info, final String key) {
        final Object[] items = array(info.get(key));
        if (items == null) {
            return null;
        }
        final List<String> list = new ArrayList<String>(items.length);
        for (Object item : items) {
            list.add(item == null ? null : String.valueOf(item));
        }
        return list;
    }

    static Object[] array(final Object value) {
        if (value instanceof Object[]) {
            return (Object[]) value;
        }
        if (value instanceof List) {
            return ((List<?>) value).toArray();
        }
        return null;
    }

    /** A struct field; null when absent or not a struct. */
    static HashMap<?, ?> struct(final Map<?, ?> info, final String key) {
        final Object value = info.get(key);
        if (value instanceof HashMap) {
            return (HashMap<?, ?>) value;
        }
        if (value instanceof Map) {
            return new HashMap<Object, Object>((Map<?, ?>) value);
        }
        return null;
    }

    /** The constant of an enum named by the field (a String), or whose order is the field (a Number). */
    static <E extends Enum<E>> E constant(final Class<E> type, final Map<?, ?> info, final String key) {
        return constant(type, info.get(key));
    }

    static <E extends Enum<E>> E constant(final Class<E> type, final Object value) {
        if (value instanceof String) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equals(value)) {
                    return e;
                }
            }
            return null;
        }
        if (value instanceof Number) {
            final int index = ((Number) value).intValue();
            final E[] all = type.getEnumConstants();
            return index >= 0 && index < all.length ? all[index] : null;
        }
        return null;
    }

    /** A supervisord process state by its name, else by its code. */
    static ProcessState processState(final Map<?, ?> info, final String nameKey, final String codeKey) {
        final Object name = nameKey == null ? null : info.get(nameKey);
        if (name instanceof String) {
            for (ProcessState state : ProcessState.values()) {
                if (state.name().equals(name)) {
                    return state;
                }
            }
        }
        final Object code = codeKey == null ? null : info.get(codeKey);
        if (code instanceof Number) {
            return ProcessState.valueOf(((Number) code).intValue());
        }
        return null;
    }

    /** group:name, or name alone when they are equal (Supervisor's namespec). */
    static String namespec(final String group, final String name) {
        if (group == null || group.equals(name)) {
            return name;
        }
        if (name == null) {
            return group + ":*";
        }
        return group + ":" + name;
    }
}
