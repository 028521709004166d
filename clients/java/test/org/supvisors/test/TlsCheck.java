package org.supvisors.test;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.supvisors.common.SupvisorsApplicationInfo;
import org.supvisors.common.SupvisorsHostStatistics;
import org.supvisors.common.SupvisorsInstanceInfo;
import org.supvisors.common.SupvisorsProcessEvent;
import org.supvisors.common.SupvisorsProcessInfo;
import org.supvisors.common.SupvisorsProcessStatistics;
import org.supvisors.common.SupvisorsStatus;
import org.supvisors.event.SupvisorsEventListener;
import org.supvisors.event.SupvisorsWsEventSubscriber;
import org.supvisors.rpc.PemTrust;
import org.supvisors.rpc.SupervisorXmlRpcClient;
import org.supvisors.rpc.SupervisorXmlRpcException;

/**
 * TlsCheck rpc URL CA_PEM|- : supervisor.getState over http(s) with the CA (or the JDK's trust
 * store), printing "state TAB statename" or "error TAB message".
 * TlsCheck ws URI CA_PEM|- TIMEOUT_S : subscribes to wss://... and prints "event TAB supvisors"
 * at the first Supvisors status, or "wserror TAB message" at the first failed connection.
 */
public final class TlsCheck {

    public static void main(final String[] args) throws Exception {
        final SSLContext context = "-".equals(args[2]) ? null : PemTrust.sslContext(Path.of(args[2]));
        if ("rpc".equals(args[0])) {
            final SupervisorXmlRpcClient client = new SupervisorXmlRpcClient(new URL(args[1]), null, null, context);
            try {
                final HashMap<?, ?> state = client.rpcCall("supervisor.getState", null, HashMap.class);
                System.out.println("state\t" + state.get("statename"));
            } catch (SupervisorXmlRpcException e) {
                System.out.println("error\t" + e.getMessage());
            }
            return;
        }
        final CountDownLatch seen = new CountDownLatch(1);
        final SupvisorsWsEventSubscriber subscriber = new SupvisorsWsEventSubscriber(URI.create(args[1]), context);
        subscriber.setListener(new SupvisorsEventListener() {
            public void onSupvisorsStatus(final SupvisorsStatus status) {
                seen.countDown();
            }
            public void onInstanceStatus(final SupvisorsInstanceInfo status) { }
            public void onApplicationStatus(final SupvisorsApplicationInfo status) { }
            public void onProcessStatus(final SupvisorsProcessInfo status) { }
            public void onProcessEvent(final SupvisorsProcessEvent event) { }
            public void onHostStatistics(final SupvisorsHostStatistics status) { }
            public void onProcessStatistics(final SupvisorsProcessStatistics status) { }
        });
        subscriber.subscribeToSupvisorsStatus();
        final Thread thread = new Thread(subscriber);
        thread.setDaemon(true);
        thread.start();
        final long end = System.currentTimeMillis() + Long.parseLong(args[3]) * 1000;
        while (System.currentTimeMillis() < end) {
            if (seen.await(100, TimeUnit.MILLISECONDS)) {
                System.out.println("event\tsupvisors");
                break;
            }
            final String error = subscriber.getLastConnectionError();
            if (error != null) {
                System.out.println("wserror\t" + error);
                break;
            }
        }
        subscriber.stop();
        thread.join(5000);
    }
}
