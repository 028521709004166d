package org.supvisors.rpc;

import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;

/** Serialises a methodCall, with the Java-to-XML-RPC mapping of Apache XML-RPC 3.1.3. */
final class XmlRpcWriter {

    private XmlRpcWriter() {
    }

    /** The UTF-8 request body that calls the method with the parameters. */
    static byte[] methodCall(final String methodName, final Object[] params) {
        final StringBuilder xml = new StringBuilder(256);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><methodCall><methodName>");
        escape(xml, methodName);
        xml.append("</methodName><params>");
        for (final Object param : params) {
            xml.append("<param>");
            value(xml, param);
            xml.append("</param>");
        }
        xml.append("</params></methodCall>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(final StringBuilder xml, final Object object) {
        xml.append("<value>");
        if (object == null) {
            xml.append("<nil/>");
        } else if (object instanceof Integer || object instanceof Short || object instanceof Byte) {
            xml.append("<i4>").append(((Number) object).intValue()).append("</i4>");
        } else if (object instanceof Long) {
            xml.append("<i8>").append(object).append("</i8>");
        } else if (object instanceof Double || object instanceof Float) {
            // Double.toString is read back by Python's float() and keeps every bit
            xml.append("<double>").append(((Number) object).doubleValue()).append("</double>");
        } else if (object instanceof Boolean) {
            xml.append("<boolean>").append((Boolean) object ? '1' : '0').append("</boolean>");
        } else if (object instanceof String || object instanceof Character) {
            xml.append("<string>");
            escape(xml, object.toString());
            xml.append("</string>");
        } else if (object instanceof byte[]) {
            xml.append("<base64>").append(Base64.getEncoder().encodeToString((byte[]) object)).append("</base64>");
        } else if (object instanceof Date) {
            // SimpleDateFormat is not thread-safe: one per value; local time, as Apache writes it
            xml.append("<dateTime.iso8601>")
                    .append(new SimpleDateFormat("yyyyMMdd'T'HH:mm:ss").format((Date) object))
                    .append("</dateTime.iso8601>");
        } else if (object instanceof Map) {
            xml.append("<struct>");
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>) object).entrySet()) {
                xml.append("<member><name>");
                escape(xml, String.valueOf(entry.getKey()));
                xml.append("</name>");
                value(xml, entry.getValue());
                xml.append("</member>");
            }
            xml.append("</struct>");
        } else if (object instanceof Object[]) {
            array(xml, java.util.Arrays.asList((Object[]) object));
        } else if (object instanceof Collection) {
            array(xml, (Collection<?>) object);
        } else {
            throw new IllegalArgumentException("no XML-RPC type for " + object.getClass().getName());
        }
        xml.append("</value>");
    }

    private static void array(final StringBuilder xml, final Collection<?> items) {
        xml.append("<array><data>");
        for (final Object item : items) {
            value(xml, item);
        }
        xml.append("</data></array>");
    }

    /** Escapes the XML markup characters; CR is a character reference so that parsers keep it. */
    private static void escape(final StringBuilder xml, final String text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '&': xml.append("&amp;"); break;
                case '<': xml.append("&lt;"); break;
                case '>': xml.append("&gt;"); break;
                case '\r': xml.append("&#13;"); break;
                default: xml.append(c);
            }
        }
    }
}
