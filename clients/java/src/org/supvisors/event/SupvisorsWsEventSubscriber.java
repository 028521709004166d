package org.supvisors.event;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A subscriber to the websocket event interface (event_link = WS, spec §7.1), on the JDK alone
 * (java.net.http.WebSocket). The subscriptions are the path of ws://host:port/&lt;path&gt;, its
 * segments the headers wanted (/all for every one); each event is one text frame
 * ["&lt;header&gt;", &lt;body&gt;].
 *
 * The same methods as SupvisorsEventSubscriber. A subscription change while connected reconnects
 * with the new path (our daemon sends the current state of what is subscribed to on each
 * connection). A lost connection is retried every second until stop(). The listener is called
 * from the thread that runs the subscriber.
 */
public class SupvisorsWsEventSubscriber implements Runnable {

    private static final long RETRY_MS = 1000;

    /** Wake-ups of the running thread: stop() and a subscription change. */
    private static final Object STOPPED = new Object();
    private static final Object CHANGED = new Object();

    private final URI base;
    private final HttpClient http;
    private final Set<String> headers = new LinkedHashSet<String>();
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<Object>();
    private volatile boolean done;
    private volatile boolean running;
    private volatile SupvisorsEventListener listener;
    private volatile WebSocket socket;
    private volatile String lastConnectionError;

    /** The event port of the local Supvisors instance. */
    public SupvisorsWsEventSubscriber(final Integer port) {
        this("localhost", port);
    }

    /** The event port of the Supvisors instance on host. */
    public SupvisorsWsEventSubscriber(final String host, final Integer port) {
        this(URI.create("ws://" + (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port));
    }

    /** ws://host:port or wss://host:port (any path in it is replaced by the subscriptions). */
    public SupvisorsWsEventSubscriber(final URI uri) {
        this(uri, null);
    }

    /**
     * Ours: wss://host:port (the event interface of an instance with certfile/keyfile) verified
     * against sslContext's trust (e.g. org.supvisors.rpc.PemTrust.sslContext(caFile)); null means
     * the JDK's default trust store.
     */
    public SupvisorsWsEventSubscriber(final URI uri, final SSLContext sslContext) {
        this.base = uri;
        final HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (sslContext != null) {
            builder.sslContext(sslContext);
        }
        this.http = builder.build();
    }

    public void setListener(final SupvisorsEventListener listener) {
        this.listener = listener;
    }

    public void subscribeToAll() {
        change(true, EventDispatch.ALL);
    }

    public void subscribeToSupvisorsStatus() {
        change(true, EventDispatch.SUPVISORS_STATUS);
    }

    public void subscribeToInstanceStatus() {
        change(true, EventDispatch.INSTANCE_STATUS);
    }

    public void subscribeToApplicationStatus() {
        change(true, EventDispatch.APPLICATION_STATUS);
    }

    public void subscribeToProcessStatus() {
        change(true, EventDispatch.PROCESS_STATUS);
    }

    public void subscribeToProcessEvent() {
        change(true, EventDispatch.PROCESS_EVENT);
    }

    public void subscribeToHostStatistics() {
        change(true, EventDispatch.HOST_STATISTICS);
    }

    public void subscribeToProcessStatistics() {
        change(true, EventDispatch.PROCESS_STATISTICS);
    }

    public void unsubscribeFromAll() {
        change(false, EventDispatch.ALL);
    }

    public void unsubscribeFromSupvisorsStatus() {
        change(false, EventDispatch.SUPVISORS_STATUS);
    }

    public void unsubscribeFromInstanceStatus() {
        change(false, EventDispatch.INSTANCE_STATUS);
    }

    public void unsubscribeFromApplicationStatus() {
        change(false, EventDispatch.APPLICATION_STATUS);
    }

    public void unsubscribeFromProcessStatus() {
        change(false, EventDispatch.PROCESS_STATUS);
    }

    public void unsubscribeFromProcessEvent() {
        change(false, EventDispatch.PROCESS_EVENT);
    }

    public void unsubscribeFromHostStatistics() {
        change(false, EventDispatch.HOST_STATISTICS);
    }

    public void unsubscribeFromProcessStatistics() {
        change(false, EventDispatch.PROCESS_STATISTICS);
    }

    private void change(final boolean add, final String... names) {
        boolean changed = false;
        synchronized (headers) {
            for (String name : names) {
                changed |= add ? headers.add(name) : headers.remove(name);
            }
        }
        if (changed) {
            inbox.add(CHANGED);
        }
    }

    /** The URI for the current subscriptions, or null when there is none. */
    URI subscriptionUri() {
        final StringBuilder path = new StringBuilder();
        synchronized (headers) {
            if (headers.isEmpty()) {
                return null;
            }
            if (headers.size() == EventDispatch.ALL.length) {
                path.append("/all");
            } else {
                for (String header : headers) {
                    path.append('/').append(header);
                }
            }
        }
        return base.resolve(path.toString());
    }

    /** Makes run() return; the connection is closed. */
    public void stop() {
        done = true;
        inbox.add(STOPPED);
    }

    /** Connects and delivers events until stop(). */
    @Override
    public void run() {
        synchronized (this) {
            if (done || running) {
                return;
            }
            running = true;
        }
        try {
            loop();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            disconnect();
            running = false;
            done = true;
        }
    }

    private void loop() throws InterruptedException {
        long retryAt = 0;
        while (!done) {
            if (socket == null) {
                final URI uri = subscriptionUri();
                if (uri != null && System.currentTimeMillis() >= retryAt) {
                    try {
                        socket = http.newWebSocketBuilder()
                            .connectTimeout(Duration.ofSeconds(5))
                            .buildAsync(uri, new Receiver())
                            .get(10, TimeUnit.SECONDS);
                    } catch (Exception ex) {
                        socket = null;
                        retryAt = System.currentTimeMillis() + RETRY_MS;
                        noteFailure(uri, ex);
                    }
                }
            }
            final long wait = socket == null && subscriptionUri() != null
                ? Math.max(1, retryAt - System.currentTimeMillis()) : 500;
            final Object item = inbox.poll(wait, TimeUnit.MILLISECONDS);
            if (item == null) {
                continue;
            }
            if (item == CHANGED) {
                // the subscriptions are the path: a new connection for the new ones
                disconnect();
                retryAt = 0;
            } else if (item instanceof Frame) {
                final Frame frame = (Frame) item;
                if (frame.from != socket) {
                    continue; // left from a connection replaced since
                }
                if (frame.text == null) {
                    // lost: retried a second later
                    socket = null;
                    retryAt = System.currentTimeMillis() + RETRY_MS;
                    continue;
                }
                try {
                    EventDispatch.deliverFrame(listener, frame.text);
                } catch (RuntimeException ex) {
                    System.err.println("SupvisorsWsEventSubscriber: event not delivered: " + ex);
                }
            }
        }
    }

    /**
     * Ours: why the last connection attempt failed (e.g. "TLS certificate verification failed for
     * wss://host:port: ..."), or null when none failed since the last successful one.
     */
    public String getLastConnectionError() {
        return lastConnectionError;
    }

    /** A refused certificate is said once on stderr (the subscriber keeps retrying, as for any failure). */
    private void noteFailure(final URI uri, final Exception ex) {
        Throwable tls = ex;
        while (tls != null && !(tls instanceof javax.net.ssl.SSLHandshakeException)) {
            tls = tls.getCause();
        }
        final String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        final String message;
        if (tls != null) {
            final String reason = tls.getMessage() == null ? tls.toString() : tls.getMessage();
            message = "TLS certificate verification failed for " + origin + ": " + reason;
        } else {
            final Throwable cause = ex.getCause() == null ? ex : ex.getCause();
            message = "cannot connect to " + origin + ": " + cause;
        }
        if (tls != null && !message.equals(lastConnectionError)) {
            System.err.println("SupvisorsWsEventSubscriber: " + message);
        }
        lastConnectionError = message;
    }

    private void disconnect() {
        final WebSocket ws = socket;
        socket = null;
        if (ws != null) {
            ws.abort();
        }
    }

    /** One text frame (null text: the connection closed), with the connection it came from. */
    private static final class Frame {
        final WebSocket from;
        final String text;

        Frame(final WebSocket from, final String text) {
            this.from = from;
            this.text = text;
        }
    }

    /** Called by the HttpClient's threads: hands everything to the running thread. */
    private final class Receiver implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(final WebSocket ws) {
            lastConnectionError = null;
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(final WebSocket ws, final CharSequence data, final boolean last) {
            partial.append(data);
            if (last) {
                inbox.add(new Frame(ws, partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket ws, final int statusCode, final String reason) {
            closed(ws);
            return null;
        }

        @Override
        public void onError(final WebSocket ws, final Throwable error) {
            closed(ws);
        }

        private void closed(final WebSocket ws) {
            inbox.add(new Frame(ws, null));
        }
    }
}
