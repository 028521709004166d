package org.supvisors.event;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import org.supvisors.common.SupvisorsApplicationInfo;
import org.supvisors.common.SupvisorsHostStatistics;
import org.supvisors.common.SupvisorsInstanceInfo;
import org.supvisors.common.SupvisorsProcessEvent;
import org.supvisors.common.SupvisorsProcessInfo;
import org.supvisors.common.SupvisorsProcessStatistics;
import org.supvisors.common.SupvisorsStatus;

/**
 * What both subscribers share: the event headers (spec §7.2) and the delivery of one event to a
 * listener as the typed object of its header.
 */
final class EventDispatch {

    static final String SUPVISORS_STATUS = "supvisors";
    static final String INSTANCE_STATUS = "instance";
    static final String APPLICATION_STATUS = "application";
    static final String PROCESS_STATUS = "process";
    static final String PROCESS_EVENT = "event";
    static final String HOST_STATISTICS = "hstats";
    static final String PROCESS_STATISTICS = "pstats";

    /** Every header, in the spec's order. */
    static final String[] ALL = {
        SUPVISORS_STATUS, INSTANCE_STATUS, APPLICATION_STATUS, PROCESS_STATUS,
        PROCESS_EVENT, HOST_STATISTICS, PROCESS_STATISTICS
    };

    private EventDispatch() {
    }

    static Set<String> allHeaders() {
        final Set<String> all = new LinkedHashSet<String>();
        for (String header : ALL) {
            all.add(header);
        }
        return all;
    }

    /** Delivers the body (JSON text) of an event to the listener; false if the header is unknown. */
    static boolean deliver(final SupvisorsEventListener listener, final String header, final String body) {
        return deliverValue(listener, header, EventJson.parse(body));
    }

    /** Delivers a websocket frame, the JSON array [header, body]. */
    static boolean deliverFrame(final SupvisorsEventListener listener, final String frame) {
        final Object value = EventJson.parse(frame);
        if (!(value instanceof Object[]) || ((Object[]) value).length != 2 || !(((Object[]) value)[0] instanceof String)) {
            throw new IllegalArgumentException("an event frame is [header, body]");
        }
        final Object[] pair = (Object[]) value;
        return deliverValue(listener, (String) pair[0], pair[1]);
    }

    private static boolean deliverValue(final SupvisorsEventListener listener, final String header, final Object body) {
        if (!(body instanceof HashMap)) {
            throw new IllegalArgumentException("the body of a " + header + " event is not an object");
        }
        final HashMap map = (HashMap) body;
        switch (header) {
            case SUPVISORS_STATUS:
                if (listener != null) listener.onSupvisorsStatus(new SupvisorsStatus(map));
                return true;
            case INSTANCE_STATUS:
                if (listener != null) listener.onInstanceStatus(new SupvisorsInstanceInfo(map));
                return true;
            case APPLICATION_STATUS:
                if (listener != null) listener.onApplicationStatus(new SupvisorsApplicationInfo(map));
                return true;
            case PROCESS_STATUS:
                if (listener != null) listener.onProcessStatus(new SupvisorsProcessInfo(map));
                return true;
            case PROCESS_EVENT:
                if (listener != null) listener.onProcessEvent(new SupvisorsProcessEvent(map));
                return true;
            case HOST_STATISTICS:
                if (listener != null) listener.onHostStatistics(new SupvisorsHostStatistics(map));
                return true;
            case PROCESS_STATISTICS:
                if (listener != null) listener.onProcessStatistics(new SupvisorsProcessStatistics(map));
                return true;
            default:
                return false;
        }
    }
}
