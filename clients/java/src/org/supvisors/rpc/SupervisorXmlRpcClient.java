package org.supvisors.rpc;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * The XML-RPC client of a supervisord (or Supvisors) server: POST /RPC2 over TCP or over a unix
 * socket, values mapped as Apache XML-RPC 3.1.3 maps them so that code written against the
 * Supvisors 0.19 Java client keeps working.
 */
public class SupervisorXmlRpcClient {

    /** Sends one request body and returns the answer's body. */
    private final Transport transport;

    private SupervisorXmlRpcClient(final Transport transport) {
        this.transport = transport;
    }

    /**
     * A client of the server listening on localhost.
     *
     * @param port the TCP port of the server.
     * @throws MalformedURLException when no URL can be built (kept from 0.19's signature).
     */
    public SupervisorXmlRpcClient(final int port) throws MalformedURLException {
        this("localhost", port);
    }

    /**
     * A client of the server at address:port, without credentials.
     *
     * @throws MalformedURLException when address:port is not a valid URL authority.
     */
    public SupervisorXmlRpcClient(final String address, final int port) throws MalformedURLException {
        this(address, port, null, null);
    }

    /**
     * A client of the server at address:port that authenticates with Basic credentials.
     *
     * @throws MalformedURLException when address:port is not a valid URL authority.
     */
    public SupervisorXmlRpcClient(final String address, final int port, final String userName,
            final String password) throws MalformedURLException {
        this(new HttpTransport(rpcUri(address, port), basicAuthorization(userName, password)));
    }

    /**
     * Ours: a client of the server at an http:// or https:// URL (any path is replaced by /RPC2),
     * with Basic credentials (null: none). An https server is verified with the JDK's default
     * trust store; see the SSLContext variant for a private CA.
     *
     * @throws MalformedURLException when the URL is neither http nor https, or has no host.
     */
    public SupervisorXmlRpcClient(final URL url, final String userName, final String password)
            throws MalformedURLException {
        this(url, userName, password, null);
    }

    /**
     * Ours: as above, an https server being verified against sslContext's trust (e.g.
     * PemTrust.sslContext(caFile)); null means the JDK's default. Verification cannot be turned off.
     *
     * @throws MalformedURLException when the URL is neither http nor https, or has no host.
     */
    public SupervisorXmlRpcClient(final URL url, final String userName, final String password,
            final SSLContext sslContext) throws MalformedURLException {
        this(new HttpTransport(rpcUri(url), basicAuthorization(userName, password), sslContext));
    }

    /** A client of the server listening on a unix socket (a Java 16+ UnixDomainSocketAddress). */
    public static SupervisorXmlRpcClient unixSocket(final Path socket) {
        return unixSocket(socket, null, null);
    }

    /** A client of the server listening on a unix socket, with Basic credentials. */
    public static SupervisorXmlRpcClient unixSocket(final Path socket, final String userName, final String password) {
        return new SupervisorXmlRpcClient(new UnixHttpTransport(socket, basicAuthorization(userName, password)));
    }

    /**
     * Calls a method and returns its result.
     *
     * @param rpcName the XML-RPC method name, e.g. "supervisor.getState".
     * @param args the parameters (null for none).
     * @param type the expected class of the result (Object[].class for an array).
     * @return the result, as mapped by Apache XML-RPC (struct as HashMap, array as Object[], ...).
     * @throws SupervisorXmlRpcException on a fault, a refused call or a transport error.
     */
    public <T> T rpcCall(final String rpcName, final Object[] args, final Class<T> type)
            throws SupervisorXmlRpcException {
        final byte[] request;
        try {
            request = XmlRpcWriter.methodCall(rpcName, args == null ? new Object[0] : args);
        } catch (IllegalArgumentException e) {
            throw SupervisorXmlRpcException.transport("Failed to serialize the request: " + e.getMessage(), e);
        }
        final Object result = XmlRpcReader.methodResponse(transport.post(request));
        // checked here rather than left to a ClassCastException where the caller assigns the value
        if (result != null && type != null && !type.isInstance(result)) {
            throw SupervisorXmlRpcException.transport("Result of " + rpcName + " is a "
                    + result.getClass().getSimpleName() + ", not a " + type.getSimpleName(), null);
        }
        @SuppressWarnings("unchecked")
        final T typed = (T) result;
        return typed;
    }

    /** The http URI of the RPC2 endpoint; the checks of java.net.URL are kept for 0.19's exception. */
    private static URI rpcUri(final String address, final int port) throws MalformedURLException {
        final String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        try {
            final URI uri = new URI("http://" + host + ":" + port + "/RPC2");
            uri.toURL();
            if (uri.getHost() == null) {
                throw new MalformedURLException("invalid address: " + address);
            }
            return uri;
        } catch (URISyntaxException | IllegalArgumentException e) {
            final MalformedURLException error = new MalformedURLException("invalid address: " + address);
            error.initCause(e);
            throw error;
        }
    }

    /** http(s)://host:port/RPC2 of a server URL. */
    private static URI rpcUri(final URL url) throws MalformedURLException {
        final String scheme = url.getProtocol();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new MalformedURLException("http:// or https:// expected: " + url);
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new MalformedURLException("no host in " + url);
        }
        final int port = url.getPort() == -1 ? url.getDefaultPort() : url.getPort();
        try {
            return new URI(scheme, null, url.getHost(), port, "/RPC2", null, null);
        } catch (URISyntaxException e) {
            final MalformedURLException error = new MalformedURLException("invalid URL: " + url);
            error.initCause(e);
            throw error;
        }
    }

    /** The Authorization header value, or null when no user is set. */
    private static String basicAuthorization(final String userName, final String password) {
        if (userName == null) {
            return null;
        }
        final String pair = userName + ":" + (password == null ? "" : password);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
