package org.supvisors.test;

import java.util.Map;
import java.util.TreeMap;
import org.supvisors.common.SupvisorsApplicationInfo;
import org.supvisors.common.SupvisorsInstanceInfo;
import org.supvisors.common.SupvisorsProcessInfo;

/**
 * The typed objects that both XML-RPC results and events carry, back under the keys the daemon
 * sends, read through their getters (enums by name): what SupvisorsCheck and EventCheck print.
 */
final class Views {

    private Views() {
    }

    static String name(final Enum<?> value) {
        return value == null ? null : value.name();
    }

    static Map<String, Object> instance(final SupvisorsInstanceInfo s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("identifier", s.getIdentifier());
        f.put("nick_identifier", s.getNickIdentifier());
        f.put("node_name", s.getNodeName());
        f.put("port", s.getPort());
        f.put("statename", name(s.getState()));
        f.put("remote_sequence_counter", s.getRemoteSequenceCounter());
        f.put("remote_mtime", s.getRemoteMonotonicTime());
        f.put("remote_time", s.getRemoteTime());
        f.put("local_sequence_counter", s.getLocalSequenceCounter());
        f.put("local_mtime", s.getLocalMonotonicTime());
        f.put("local_time", s.getLocalTime());
        f.put("loading", s.getLoading());
        f.put("process_failure", s.hasProcessFailure());
        return f;
    }

    static Map<String, Object> application(final SupvisorsApplicationInfo s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("application_name", s.getApplicationName());
        f.put("statename", name(s.getState()));
        f.put("managed", s.isManaged());
        f.put("now_monotonic", s.getNowMonotonic());
        f.put("major_failure", s.hasMajorFailure());
        f.put("minor_failure", s.hasMinorFailure());
        return f;
    }

    static Map<String, Object> process(final SupvisorsProcessInfo s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("application_name", s.getApplicationName());
        f.put("process_name", s.getProcessName());
        f.put("now_monotonic", s.getNowMonotonic());
        f.put("statename", name(s.getState()));
        f.put("expected_exit", s.getExpectedExitStatus());
        f.put("last_event_mtime", s.getLastEventMonotonicTime());
        f.put("identifiers", s.getIdentifiers());
        f.put("extra_args", s.getExtraArgs());
        return f;
    }
}
