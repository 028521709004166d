package org.supvisors.event;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQ.Socket;

/**
 * A subscriber to the ZeroMQ event interface (event_link = ZMQ, spec §7.1): a SUB socket connected to
 * tcp://host:port, each event a two-frame message (header, JSON body), filtered by header prefix.
 *
 * Subscriptions may change at any time: they are handed to the thread that runs the subscriber, which
 * alone touches the socket. run() receives until stop() is called, then closes the socket.
 * As with any ZeroMQ SUB socket, events published before the subscription reached the publisher
 * are not received. Needs JeroMQ (Debian's libjeromq-java; 0.3.6 and later).
 * For event_link = WS, see SupvisorsWsEventSubscriber.
 */
public class SupvisorsEventSubscriber implements Runnable {

    /** How long a receive waits before stop() and the subscription changes are looked at (ms). */
    private static final int RECEIVE_TIMEOUT_MS = 100;

    private final ZContext context;
    private final Socket subscriber;
    private final ConcurrentLinkedQueue<String[]> pending = new ConcurrentLinkedQueue<String[]>();
    private volatile boolean done;
    private volatile boolean running;
    private volatile SupvisorsEventListener listener;

    /** Connects a SUB socket to the event port of the local Supvisors instance. */
    public SupvisorsEventSubscriber(final Integer port, final ZContext context) {
        this("localhost", port, context);
    }

    /** Connects a SUB socket to the event port of the Supvisors instance on host. */
    public SupvisorsEventSubscriber(final String host, final Integer port, final ZContext context) {
        this.context = context;
        this.subscriber = context.createSocket(ZMQ.SUB);
        this.subscriber.setLinger(0);
        this.subscriber.setReceiveTimeOut(RECEIVE_TIMEOUT_MS);
        this.subscriber.connect("tcp://" + host + ":" + port);
    }

    /** The callbacks called for the events received. */
    public void setListener(final SupvisorsEventListener listener) {
        this.listener = listener;
    }

    public void subscribeToAll() {
        // the empty prefix matches every header
        subscribeTo("");
    }

    public void subscribeToSupvisorsStatus() {
        subscribeTo(EventDispatch.SUPVISORS_STATUS);
    }

    public void subscribeToInstanceStatus() {
        subscribeTo(EventDispatch.INSTANCE_STATUS);
    }

    public void subscribeToApplicationStatus() {
        subscribeTo(EventDispatch.APPLICATION_STATUS);
    }

    public void subscribeToProcessStatus() {
        subscribeTo(EventDispatch.PROCESS_STATUS);
    }

    public void subscribeToProcessEvent() {
        subscribeTo(EventDispatch.PROCESS_EVENT);
    }

    public void subscribeToHostStatistics() {
        subscribeTo(EventDispatch.HOST_STATISTICS);
    }

    public void subscribeToProcessStatistics() {
        subscribeTo(EventDispatch.PROCESS_STATISTICS);
    }

    public void unsubscribeFromAll() {
        unsubscribeFrom("");
    }

    public void unsubscribeFromSupvisorsStatus() {
        unsubscribeFrom(EventDispatch.SUPVISORS_STATUS);
    }

    public void unsubscribeFromInstanceStatus() {
        unsubscribeFrom(EventDispatch.INSTANCE_STATUS);
    }

    public void unsubscribeFromApplicationStatus() {
        unsubscribeFrom(EventDispatch.APPLICATION_STATUS);
    }

    public void unsubscribeFromProcessStatus() {
        unsubscribeFrom(EventDispatch.PROCESS_STATUS);
    }

    public void unsubscribeFromProcessEvent() {
        unsubscribeFrom(EventDispatch.PROCESS_EVENT);
    }

    public void unsubscribeFromHostStatistics() {
        unsubscribeFrom(EventDispatch.HOST_STATISTICS);
    }

    public void unsubscribeFromProcessStatistics() {
        unsubscribeFrom(EventDispatch.PROCESS_STATISTICS);
    }

    private void subscribeTo(final String header) {
        change("+", header);
    }

    private void unsubscribeFrom(final String header) {
        change("-", header);
    }

    private synchronized void change(final String op, final String header) {
        if (running) {
            pending.add(new String[] {op, header});
        } else if (!done) {
            apply(op, header);
        }
    }

    private void apply(final String op, final String header) {
        final byte[] prefix = header.getBytes(StandardCharsets.UTF_8);
        if ("+".equals(op)) {
            subscriber.subscribe(prefix);
        } else {
            subscriber.unsubscribe(prefix);
        }
    }

    /** Makes run() return (within a tenth of a second); the socket is closed then. */
    public void stop() {
        done = true;
    }

    /** Receives and delivers events until stop(). */
    @Override
    public void run() {
        synchronized (this) {
            if (done || running) {
                return;
            }
            running = true;
        }
        try {
            while (!done) {
                synchronized (this) {
                    String[] change;
                    while ((change = pending.poll()) != null) {
                        apply(change[0], change[1]);
                    }
                }
                final String header = subscriber.recvStr();
                if (header == null) {
                    continue;
                }
                if (!subscriber.hasReceiveMore()) {
                    continue;
                }
                final byte[] body = subscriber.recv();
                // a frame more than the two expected is skipped
                while (subscriber.hasReceiveMore()) {
                    subscriber.recv();
                }
                if (body == null) {
                    continue;
                }
                try {
                    EventDispatch.deliver(listener, header, new String(body, StandardCharsets.UTF_8));
                } catch (RuntimeException ex) {
                    System.err.println("SupvisorsEventSubscriber: " + header + " event not delivered: " + ex);
                }
            }
        } finally {
            synchronized (this) {
                running = false;
                done = true;
                context.destroySocket(subscriber);
            }
        }
    }
}
