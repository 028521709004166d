package org.supvisors.rpc;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * XML-RPC over a unix socket (supervisord's [unix_http_server]). The JDK's HttpClient cannot dial a
 * unix socket, so this is a minimal HTTP/1.1 client: one connection per call ("Connection: close"),
 * and an answer body delimited by Content-Length, by chunks, or by the end of the stream.
 */
final class UnixHttpTransport implements Transport {

    /** A header or status line longer than this is not an HTTP answer worth reading. */
    private static final int MAX_LINE = 64 * 1024;

    private final UnixDomainSocketAddress address;

    /** The Authorization header value, or null. */
    private final String authorization;

    UnixHttpTransport(final Path socket, final String authorization) {
        this.address = UnixDomainSocketAddress.of(socket);
        this.authorization = authorization;
    }

    @Override
    public byte[] post(final byte[] body) throws SupervisorXmlRpcException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(address);
            final OutputStream out = Channels.newOutputStream(channel);
            out.write(requestHead(body.length).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return readAnswer(new BufferedInputStream(Channels.newInputStream(channel)));
        } catch (IOException e) {
            throw SupervisorXmlRpcException.transport("Failed to read server's response: " + e.getMessage(), e);
        }
    }

    private String requestHead(final int length) {
        final StringBuilder head = new StringBuilder();
        // supervisord ignores the host of a unix socket request; HTTP/1.1 still wants the header
        head.append("POST /RPC2 HTTP/1.1\r\nHost: localhost\r\n");
        head.append("Content-Type: text/xml\r\nContent-Length: ").append(length).append("\r\n");
        head.append("Connection: close\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** Reads the status line, the headers and the body of one answer. */
    private static byte[] readAnswer(final InputStream in) throws IOException, SupervisorXmlRpcException {
        final String statusLine = readLine(in);
        if (statusLine == null) {
            throw new IOException("connection closed before any answer");
        }
        final String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        final int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status line: " + statusLine, e);
        }
        long contentLength = -1;
        boolean chunked = false;
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            final int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            final String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        // the body is read even for an error status, so that the connection ends cleanly
        final byte[] body = chunked ? readChunked(in) : contentLength >= 0 ? readExactly(in, contentLength) : in.readAllBytes();
        if (status != 200) {
            throw SupervisorXmlRpcException.http(status, parts.length > 2 ? parts[2] : null);
        }
        return body;
    }

    /** One CRLF (or LF) terminated line in ISO-8859-1, without its end; null at the end of the stream. */
    private static String readLine(final InputStream in) throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("HTTP line too long");
            }
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    private static byte[] readExactly(final InputStream in, final long length) throws IOException {
        if (length > Integer.MAX_VALUE) {
            throw new IOException("answer too large: " + length);
        }
        final byte[] body = in.readNBytes((int) length);
        if (body.length != length) {
            throw new IOException("connection closed after " + body.length + " of " + length + " bytes");
        }
        return body;
    }

    /** A chunked body: hex sizes (extensions ignored), then the trailer headers up to a blank line. */
    private static byte[] readChunked(final InputStream in) throws IOException {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            final String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            final int semicolon = sizeLine.indexOf(';');
            final String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            final long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + sizeLine, e);
            }
            if (size == 0) {
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers carry nothing an XML-RPC answer needs
                }
                return body.toByteArray();
            }
            body.write(readExactly(in, size));
            readLine(in); // the CRLF closing the chunk
        }
    }
}
