package org.supvisors.rpc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * XML-RPC over TCP with the JDK's HttpClient, pinned to HTTP/1.1 (supervisord speaks nothing else).
 * An https URI (ours: an inet server with certfile/keyfile) is verified against the given
 * SSLContext's trust, else the JDK's default trust store; host names are checked.
 */
final class HttpTransport implements Transport {

    /** Shared by every call of this client, so that the server's keep-alive connection is reused. */
    private final HttpClient http;

    private final URI uri;

    /** The Authorization header value, or null. */
    private final String authorization;

    HttpTransport(final URI uri, final String authorization) {
        this(uri, authorization, null);
    }

    HttpTransport(final URI uri, final String authorization, final SSLContext sslContext) {
        this.uri = uri;
        this.authorization = authorization;
        final HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
    }

    @Override
    public byte[] post(final byte[] body) throws SupervisorXmlRpcException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        final HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            throw SupervisorXmlRpcException.transport(tlsMessage(e), e);
        } catch (IOException e) {
            final SSLHandshakeException tls = handshakeCause(e);
            if (tls != null) {
                throw SupervisorXmlRpcException.transport(tlsMessage(tls), e);
            }
            throw SupervisorXmlRpcException.transport("Failed to read server's response: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SupervisorXmlRpcException.transport("Interrupted while waiting for the server", e);
        }
        if (response.statusCode() != 200) {
            throw SupervisorXmlRpcException.http(response.statusCode(), null);
        }
        return response.body();
    }

    /** The server's address without the /RPC2 path, as the messages name it. */
    private String origin() {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** A refused certificate or a failed handshake, in one clear sentence. */
    private String tlsMessage(final SSLHandshakeException e) {
        final String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        final boolean certificate = reason.contains("PKIX") || reason.contains("certificate") || reason.contains("No subject alternative");
        return certificate
                ? "TLS certificate verification failed for " + origin() + ": " + reason
                : "TLS handshake with " + origin() + " failed: " + reason;
    }

    private static SSLHandshakeException handshakeCause(final Throwable e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof SSLHandshakeException) {
                return (SSLHandshakeException) c;
            }
        }
        return null;
    }
}
