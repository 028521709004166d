package org.supvisors.common;

import java.lang.reflect.InvocationTargetException;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/** Turns the untyped XML-RPC results (Object[], HashMap) into the typed classes of this package. */
public final class DataConversion {

    private DataConversion() {
    }

    /**
     * Builds one T per struct of the array, keyed by T.getName() (a namespec, an identifier...).
     * T must have a public constructor taking a HashMap. A struct T refuses is skipped with a
     * message on stderr, so that one odd entry does not hide all the others.
     */
    public static <T extends SupvisorsAnyInfo> HashMap<String, T> arrayToMap(final Object[] objectsArray,
            final Class<T> klass) {
        final HashMap<String, T> infoMap = new HashMap<>();
        for (final Object object : objectsArray) {
            try {
                final T info = klass.getConstructor(HashMap.class).newInstance((HashMap<?, ?>) object);
                infoMap.put(info.getName(), info);
            } catch (InvocationTargetException exc) {
                System.err.println("DataConversion: " + exc.getCause());
            } catch (ReflectiveOperationException | ClassCastException exc) {
                System.err.println("DataConversion: " + exc);
            }
        }
        return infoMap;
    }

    /** The items of the array as strings (null stays null). */
    public static List<String> arrayToStringList(final Object[] objectArray) {
        final List<String> list = new ArrayList<>(objectArray.length);
        for (final Object object : objectArray) {
            list.add(Objects.toString(object, null));
        }
        return list;
    }

    /** The items of the array as floats, whatever number or numeric string they are. */
    public static List<Float> arrayToFloatList(final Object[] objectArray) {
        final List<Float> list = new ArrayList<>(objectArray.length);
        for (final Object object : objectArray) {
            list.add(object instanceof Number ? ((Number) object).floatValue()
                    : Float.parseFloat(Objects.toString(object, null)));
        }
        return list;
    }

    /**
     * Splits a namespec: "name" gives {name, name}, "group:name" gives {group, name} and "group:*"
     * gives {group, null}.
     *
     * @throws IllegalArgumentException when the namespec holds more than one ':'.
     */
    public static String[] namespecToStrings(final String namespec) {
        final String[] split = namespec.split(":");
        if (split.length > 2) {
            throw new IllegalArgumentException("Separator used more than once in namespec.");
        }
        if (split.length == 1) {
            return new String[]{namespec, namespec};
        }
        if ("*".equals(split[1])) {
            return new String[]{split[0], null};
        }
        return split;
    }

    /** The reverse of namespecToStrings: a null process name gives "group:*". */
    public static String stringsToNamespec(final String groupName, final String processName) {
        if (groupName == null || groupName.equals(processName)) {
            return processName;
        }
        if (processName == null) {
            return groupName + ":*";
        }
        return groupName + ":" + processName;
    }

    /** A POSIX time in seconds as a quoted local "yyyy-MM-dd HH:mm:ss", or "0" when not set. */
    public static String timestampToDate(final Double timestamp) {
        if (timestamp > 0.0) {
            return quotedDate((long) (timestamp * 1000.0));
        }
        return "0";
    }

    /** A POSIX time in seconds as a quoted local "yyyy-MM-dd HH:mm:ss", or "0" when not set. */
    public static String timestampToDate(final Integer timestamp) {
        if (timestamp > 0) {
            return quotedDate(timestamp * 1000L);
        }
        return "0";
    }

    private static String quotedDate(final long millis) {
        return "\"" + new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").format(new Date(millis)) + "\"";
    }
}
