package org.supvisors.rpc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** XML-RPC over TCP with the JDK's HttpClient, pinned to HTTP/1.1 (supervisord speaks nothing else). */
final class HttpTransport implements Transport {

    /** Shared by every call of this client, so that the server's keep-alive connection is reused. */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final URI uri;

    /** The Authorization header value, or null. */
    private final String authorization;

    HttpTransport(final URI uri, final String authorization) {
        this.uri = uri;
        this.authorization = authorization;
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
        } catch (IOException e) {
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
}
