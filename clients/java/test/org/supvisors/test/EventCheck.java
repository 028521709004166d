package org.supvisors.test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.supvisors.common.SupvisorsApplicationInfo;
import org.supvisors.common.SupvisorsHostStatistics;
import org.supvisors.common.SupvisorsInstanceInfo;
import org.supvisors.common.SupvisorsProcessEvent;
import org.supvisors.common.SupvisorsProcessInfo;
import org.supvisors.common.SupvisorsProcessStatistics;
import org.supvisors.common.SupvisorsStatus;
import org.supvisors.event.SupvisorsEventListener;
import org.supvisors.event.SupvisorsEventSubscriber;
import org.supvisors.event.SupvisorsWsEventSubscriber;
import org.zeromq.ZContext;

/**
 * EventCheck ws|zmq HOST PORT COUNT TIMEOUT_S [HEADERS]: subscribes to every header of the event
 * interface of the instance at HOST:PORT (or to the comma-separated HEADERS, once the subscriber
 * runs, then unsubscribing from the others) and prints one line per callback, "kind TAB json", the json rebuilt from
 * the getters of the typed object under the keys of the spec (so a test compares it with the body
 * another subscriber received). Exits after COUNT events (0: no limit) or TIMEOUT_S seconds.
 */
public final class EventCheck implements SupvisorsEventListener {

    private final CountDownLatch enough;
    private final AtomicInteger seen = new AtomicInteger();
    private final int count;

    private EventCheck(final int count) {
        this.count = count;
        this.enough = new CountDownLatch(1);
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 5 && args.length != 6) {
            System.err.println("usage: EventCheck ws|zmq HOST PORT COUNT TIMEOUT_S [HEADERS]");
            System.exit(2);
        }
        final String mode = args[0];
        final String host = args[1];
        final int port = Integer.parseInt(args[2]);
        final EventCheck check = new EventCheck(Integer.parseInt(args[3]));
        final long timeout = Long.parseLong(args[4]);
        final List<String> some = args.length == 6 ? java.util.Arrays.asList(args[5].split(",")) : null;
        if ("ws".equals(mode)) {
            final SupvisorsWsEventSubscriber subscriber = new SupvisorsWsEventSubscriber(host, port);
            subscriber.setListener(check);
            if (some == null) {
                subscriber.subscribeToAll();
            }
            check.runUntilDone(subscriber, timeout, () -> {
                // all, then none but the ones asked for: a change while running
                subscriber.subscribeToAll();
                if (!some.contains("supvisors")) subscriber.unsubscribeFromSupvisorsStatus();
                if (!some.contains("instance")) subscriber.unsubscribeFromInstanceStatus();
                if (!some.contains("application")) subscriber.unsubscribeFromApplicationStatus();
                if (!some.contains("process")) subscriber.unsubscribeFromProcessStatus();
                if (!some.contains("event")) subscriber.unsubscribeFromProcessEvent();
                if (!some.contains("hstats")) subscriber.unsubscribeFromHostStatistics();
                if (!some.contains("pstats")) subscriber.unsubscribeFromProcessStatistics();
            }, some != null);
            subscriber.stop();
        } else if ("zmq".equals(mode)) {
            try (ZContext context = new ZContext()) {
                final SupvisorsEventSubscriber subscriber = new SupvisorsEventSubscriber(host, port, context);
                subscriber.setListener(check);
                if (some == null) {
                    subscriber.subscribeToAll();
                }
                final Thread thread = check.runUntilDone(subscriber, timeout, () -> {
                    // ZeroMQ prefix subscriptions: one per header asked for
                    if (some.contains("supvisors")) subscriber.subscribeToSupvisorsStatus();
                    if (some.contains("instance")) subscriber.subscribeToInstanceStatus();
                    if (some.contains("application")) subscriber.subscribeToApplicationStatus();
                    if (some.contains("process")) subscriber.subscribeToProcessStatus();
                    if (some.contains("event")) subscriber.subscribeToProcessEvent();
                    if (some.contains("hstats")) subscriber.subscribeToHostStatistics();
                    if (some.contains("pstats")) subscriber.subscribeToProcessStatistics();
                }, some != null);
                subscriber.stop();
                thread.join(2000);
            }
        } else {
            System.err.println("unknown mode " + mode);
            System.exit(2);
        }
        System.out.println("done\t" + check.seen.get());
        System.out.flush();
        System.exit(0);
    }

    private Thread runUntilDone(final Runnable subscriber, final long timeoutSeconds, final Runnable subscribe,
                                final boolean whileRunning) throws InterruptedException {
        final Thread thread = new Thread(subscriber, "subscriber");
        thread.setDaemon(true);
        thread.start();
        if (whileRunning) {
            Thread.sleep(200);
            subscribe.run();
        }
        System.out.println("started\t{}");
        System.out.flush();
        enough.await(timeoutSeconds, TimeUnit.SECONDS);
        return thread;
    }

    private void print(final String kind, final Map<String, Object> fields) {
        final StringBuilder out = new StringBuilder(kind).append('\t');
        Json.write(out, fields);
        synchronized (System.out) {
            System.out.println(out);
            System.out.flush();
        }
        if (seen.incrementAndGet() == count) {
            enough.countDown();
        }
    }

    // ---- the typed objects, back under the spec's keys ----------------------------------------------

    private static String name(final Enum<?> value) {
        return Views.name(value);
    }

    @Override
    public void onSupvisorsStatus(final SupvisorsStatus status) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("identifier", status.getIdentifier());
        f.put("nick_identifier", status.getNickIdentifier());
        f.put("now_monotonic", status.getNowMonotonic());
        f.put("fsm_statename", name(status.getState()));
        f.put("degraded_mode", status.inDegradedMode());
        f.put("discovery_mode", status.inDiscoveryMode());
        final Map<String, Object> states = new TreeMap<String, Object>();
        if (status.getInstanceStates() != null) {
            for (Map.Entry<String, ?> e : status.getInstanceStates().entrySet()) {
                states.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        f.put("instance_states", states);
        f.put("starting_jobs", status.getStartingJobs());
        f.put("stopping_jobs", status.getStoppingJobs());
        print("supvisors", f);
    }

    @Override
    public void onInstanceStatus(final SupvisorsInstanceInfo status) {
        print("instance", Views.instance(status));
    }

    @Override
    public void onApplicationStatus(final SupvisorsApplicationInfo status) {
        print("application", Views.application(status));
    }

    @Override
    public void onProcessStatus(final SupvisorsProcessInfo status) {
        print("process", Views.process(status));
    }

    @Override
    public void onProcessEvent(final SupvisorsProcessEvent event) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("identifier", event.getIdentifier());
        f.put("nick_identifier", event.getNickIdentifier());
        f.put("group", event.getGroup());
        f.put("name", event.getProcessName());
        // the state as its name: the test maps the code of the body to it
        f.put("state", name(event.getState()));
        f.put("expected", event.isExpected());
        f.put("spawnerr", event.getSpawnError());
        f.put("now", event.getNow());
        f.put("now_monotonic", event.getNowMonotonic());
        f.put("event_mtime", event.getEventMonotonicTime());
        f.put("pid", event.getPID());
        f.put("extra_args", event.getExtraArgs());
        f.put("disabled", event.isDisabled());
        print("event", f);
    }

    @Override
    public void onHostStatistics(final SupvisorsHostStatistics stats) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("identifier", stats.getIdentifier());
        f.put("now_monotonic", stats.getNowMonotonic());
        f.put("target_period", stats.getTargetPeriod());
        f.put("period", pair(stats.getStartPeriod(), stats.getEndPeriod()));
        final List<Object> cpu = new ArrayList<Object>();
        cpu.add(stats.getAverageCPU());
        if (stats.getDetailedCPU() != null) {
            cpu.addAll(stats.getDetailedCPU());
        }
        f.put("cpu", cpu);
        f.put("mem", stats.getMemory());
        f.put("net_io", stats.getNetworkIO());
        f.put("disk_io", stats.getDiskIO());
        f.put("disk_usage", stats.getDiskUsage());
        print("hstats", f);
    }

    @Override
    public void onProcessStatistics(final SupvisorsProcessStatistics stats) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("namespec", stats.getNamespec());
        f.put("identifier", stats.getIdentifier());
        f.put("pid", stats.getPID());
        f.put("now_monotonic", stats.getNowMonotonic());
        f.put("target_period", stats.getTargetPeriod());
        f.put("period", pair(stats.getStartPeriod(), stats.getEndPeriod()));
        f.put("cpu", stats.getCPU());
        f.put("mem", stats.getMemory());
        print("pstats", f);
    }

    private static List<Object> pair(final Object a, final Object b) {
        final List<Object> list = new ArrayList<Object>();
        list.add(a);
        list.add(b);
        return list;
    }
}
