package org.supvisors.rpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.text.ParseException;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Parses a methodResponse with the XML-RPC-to-Java mapping of Apache XML-RPC 3.1.3: struct as
 * HashMap, array as Object[], int/i4 as Integer, i8 as Long, untyped value as String, nil as null.
 * A fault becomes a SupervisorXmlRpcException carrying its faultCode and faultString.
 */
final class XmlRpcReader {

    private XmlRpcReader() {
    }

    /** The single result of the answer; throws the fault when the server answered one. */
    static Object methodResponse(final byte[] body) throws SupervisorXmlRpcException {
        final Element root;
        try {
            root = parse(body).getDocumentElement();
        } catch (IOException | SAXException | ParserConfigurationException e) {
            throw SupervisorXmlRpcException.transport("Failed to parse server's response: " + e.getMessage(), e);
        }
        try {
            if (!name(root).equals("methodResponse")) {
                throw new IllegalStateException("expected methodResponse, got " + name(root));
            }
            final Element first = firstChild(root);
            if (first == null) {
                throw new IllegalStateException("empty methodResponse");
            }
            if (name(first).equals("fault")) {
                throw fault(single(first, "value"));
            }
            if (!name(first).equals("params")) {
                throw new IllegalStateException("expected params or fault, got " + name(first));
            }
            return value(single(single(first, "param"), "value"));
        } catch (IllegalStateException | IllegalArgumentException | ParseException e) {
            throw SupervisorXmlRpcException.transport("Failed to parse server's response: " + e.getMessage(), e);
        }
    }

    private static SupervisorXmlRpcException fault(final Element value) throws ParseException {
        final Object fault = value(value);
        if (!(fault instanceof HashMap)) {
            throw new IllegalStateException("fault value is not a struct");
        }
        final HashMap<?, ?> struct = (HashMap<?, ?>) fault;
        final Object code = struct.get("faultCode");
        final Object text = struct.get("faultString");
        return SupervisorXmlRpcException.fault(code instanceof Number ? ((Number) code).intValue() : 0,
                text == null ? null : text.toString());
    }

    /** DOM parsing with DTDs and external entities refused: an answer has no business with either. */
    private static Document parse(final byte[] body) throws ParserConfigurationException, SAXException, IOException {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(true);
        final DocumentBuilder builder = factory.newDocumentBuilder();
        // the default handler prints to stderr before throwing: throw quietly instead
        builder.setErrorHandler(new org.xml.sax.ErrorHandler() {
            @Override
            public void warning(final org.xml.sax.SAXParseException e) {
            }

            @Override
            public void error(final org.xml.sax.SAXParseException e) throws SAXException {
                throw e;
            }

            @Override
            public void fatalError(final org.xml.sax.SAXParseException e) throws SAXException {
                throw e;
            }
        });
        return builder.parse(new ByteArrayInputStream(body));
    }

    /** The Java value of a <value> element. */
    private static Object value(final Element value) throws ParseException {
        final Element typed = firstChild(value);
        if (typed == null) {
            // an untyped value is a string, whitespace included
            return value.getTextContent();
        }
        final String text = typed.getTextContent();
        switch (name(typed)) {
            case "i4":
            case "int":
                return Integer.valueOf(text.trim());
            case "i8":
                return Long.valueOf(text.trim());
            case "double":
                return Double.valueOf(text.trim());
            case "boolean":
                return booleanOf(text.trim());
            case "string":
                return text;
            case "base64":
                return Base64.getMimeDecoder().decode(text.trim());
            case "dateTime.iso8601":
                return dateOf(text.trim());
            case "nil":
                return null;
            case "struct":
                return struct(typed);
            case "array":
                return array(typed);
            default:
                throw new IllegalStateException("unknown XML-RPC type " + name(typed));
        }
    }

    private static Boolean booleanOf(final String text) {
        if (text.equals("1")) {
            return Boolean.TRUE;
        }
        if (text.equals("0")) {
            return Boolean.FALSE;
        }
        throw new IllegalStateException("bad boolean: " + text);
    }

    /** ISO 8601 basic date and time, read in the local time zone as Apache does. */
    private static java.util.Date dateOf(final String text) throws ParseException {
        final SimpleDateFormat format = new SimpleDateFormat(text.contains("-") ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyyMMdd'T'HH:mm:ss");
        format.setLenient(false);
        return format.parse(text);
    }

    private static HashMap<String, Object> struct(final Element struct) throws ParseException {
        final HashMap<String, Object> map = new HashMap<>();
        for (Element member = firstChild(struct); member != null; member = nextSibling(member)) {
            if (!name(member).equals("member")) {
                throw new IllegalStateException("expected member, got " + name(member));
            }
            map.put(single(member, "name").getTextContent(), value(single(member, "value")));
        }
        return map;
    }

    private static Object[] array(final Element array) throws ParseException {
        final List<Object> items = new ArrayList<>();
        final Element data = single(array, "data");
        for (Element item = firstChild(data); item != null; item = nextSibling(item)) {
            if (!name(item).equals("value")) {
                throw new IllegalStateException("expected value, got " + name(item));
            }
            items.add(value(item));
        }
        return items.toArray();
    }

    /** The local name, so that Apache's "ex:" extension prefix (ex:i8, ex:nil) reads as the plain type. */
    private static String name(final Element element) {
        final String local = element.getLocalName();
        return local != null ? local : element.getTagName();
    }

    /** The child element of the given name; it must be there. */
    private static Element single(final Element parent, final String childName) {
        for (Element child = firstChild(parent); child != null; child = nextSibling(child)) {
            if (name(child).equals(childName)) {
                return child;
            }
        }
        throw new IllegalStateException("missing " + childName + " in " + name(parent));
    }

    private static Element firstChild(final Node parent) {
        return elementFrom(parent.getFirstChild());
    }

    private static Element nextSibling(final Node node) {
        return elementFrom(node.getNextSibling());
    }

    private static Element elementFrom(Node node) {
        while (node != null && node.getNodeType() != Node.ELEMENT_NODE) {
            node = node.getNextSibling();
        }
        return (Element) node;
    }
}
