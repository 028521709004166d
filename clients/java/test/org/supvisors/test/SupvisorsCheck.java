package org.supvisors.test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.supvisors.common.ConciliationStrategy;
import org.supvisors.common.LoggerLevels;
import org.supvisors.common.StartingStrategy;
import org.supvisors.common.SupvisorsApplicationInfo;
import org.supvisors.common.SupvisorsApplicationRules;
import org.supvisors.common.SupvisorsCommonStateModes;
import org.supvisors.common.SupvisorsDistributionInfo;
import org.supvisors.common.SupvisorsIdentifier;
import org.supvisors.common.SupvisorsInnerProcessInfo;
import org.supvisors.common.SupvisorsInstanceInfo;
import org.supvisors.common.SupvisorsLocalProcessInfo;
import org.supvisors.common.SupvisorsNetworkInfo;
import org.supvisors.common.SupvisorsProcessInfo;
import org.supvisors.common.SupvisorsProcessRules;
import org.supvisors.common.SupvisorsStateModes;
import org.supvisors.common.SupvisorsStatisticsStatus;
import org.supvisors.common.SupvisorsStatus;
import org.supvisors.common.SupvisorsStrategies;
import org.supvisors.rpc.SupervisorXmlRpcClient;
import org.supvisors.rpc.SupervisorXmlRpcException;
import org.supvisors.rpc.SupvisorsXmlRpc;

/**
 * SupvisorsCheck HOST PORT [USER PASSWORD]: drives org.supvisors.rpc.SupvisorsXmlRpc against the
 * instance at HOST:PORT. It reads one call a line on stdin, "method TAB arg TAB arg ..." (the Java
 * method name; booleans true/false, strategies and levels by name, "-" for a null argument), and
 * prints one line per call, "method TAB json": the typed result rebuilt from its getters under the
 * XML-RPC field names (enums by name), a map of items as an object keyed like the map, a fault as
 * {"fault": code}, another failure as {"error": text, "http": status}.
 * Special lines: "auth" (getAPIVersion without credentials and with a wrong password: the HTTP
 * statuses), "uncalled" (the public methods of SupvisorsXmlRpc not called yet, as name/arity),
 * "quit".
 */
public final class SupvisorsCheck {

    private final SupvisorsXmlRpc supvisors;
    private final String host;
    private final int port;
    private final Set<String> called = new TreeSet<String>();

    private SupvisorsCheck(final String host, final int port, final String user, final String password)
            throws Exception {
        this.host = host;
        this.port = port;
        final SupervisorXmlRpcClient client = user == null
            ? new SupervisorXmlRpcClient(host, port)
            : new SupervisorXmlRpcClient(host, port, user, password);
        this.supvisors = new SupvisorsXmlRpc(client);
    }

    public static void main(final String[] args) throws Exception {
        if (args.length != 2 && args.length != 4) {
            System.err.println("usage: SupvisorsCheck HOST PORT [USER PASSWORD]");
            System.exit(2);
        }
        final SupvisorsCheck check = new SupvisorsCheck(args[0], Integer.parseInt(args[1]),
            args.length == 4 ? args[2] : null, args.length == 4 ? args[3] : null);
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready\t{}");
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            final String[] words = line.split("\t", -1);
            if ("quit".equals(words[0])) {
                break;
            }
            final StringBuilder out = new StringBuilder(words[0]).append('\t');
            Object value;
            try {
                value = check.run(words);
            } catch (SupervisorXmlRpcException e) {
                final Map<String, Object> f = new TreeMap<String, Object>();
                if (e.isFault()) {
                    f.put("fault", e.getCode());
                } else {
                    f.put("error", String.valueOf(e.getMessage()));
                    f.put("http", e.getHttpStatus());
                }
                value = f;
            } catch (RuntimeException e) {
                final Map<String, Object> f = new TreeMap<String, Object>();
                f.put("error", e.toString());
                value = f;
            }
            Json.write(out, value);
            System.out.println(out);
            System.out.flush();
        }
        System.exit(0);
    }

    // ---- one call ------------------------------------------------------------------------------

    private static Boolean bool(final String word) {
        return "-".equals(word) ? null : Boolean.valueOf(word);
    }

    private static String str(final String word) {
        return "-".equals(word) ? null : word;
    }

    private Object run(final String[] w) throws Exception {
        final String method = w[0];
        if (!"auth".equals(method) && !"uncalled".equals(method)) {
            called.add(method + "/" + (w.length - 1));
        }
        switch (method) {
            case "auth": {
                final Map<String, Object> f = new TreeMap<String, Object>();
                f.put("none", httpStatusOf(new SupervisorXmlRpcClient(host, port)));
                f.put("wrong", httpStatusOf(new SupervisorXmlRpcClient(host, port, "nobody", "wrong")));
                return f;
            }
            case "uncalled": {
                final Set<String> all = new TreeSet<String>();
                for (Method m : SupvisorsXmlRpc.class.getDeclaredMethods()) {
                    if (Modifier.isPublic(m.getModifiers())) {
                        all.add(m.getName() + "/" + m.getParameterCount());
                    }
                }
                all.removeAll(called);
                return new ArrayList<String>(all);
            }
            case "getAPIVersion":
                return supvisors.getAPIVersion();
            case "getSupvisorsState":
                return status(supvisors.getSupvisorsState());
            case "getAllInstancesStateModes":
                return items(supvisors.getAllInstancesStateModes());
            case "getInstanceStateModes":
                return items(supvisors.getInstanceStateModes(str(w[1])));
            case "getNetworkInfo":
                return network(supvisors.getNetworkInfo(str(w[1])));
            case "getMasterIdentifier":
                return identifier(supvisors.getMasterIdentifier());
            case "getStrategies":
                return strategies(supvisors.getStrategies());
            case "getStatisticsStatus":
                return statistics(supvisors.getStatisticsStatus());
            case "getAllInstancesInfo":
                return items(supvisors.getAllInstancesInfo());
            case "getInstanceInfo":
                return items(supvisors.getInstanceInfo(str(w[1])));
            case "getAllApplicationInfo":
                return items(supvisors.getAllApplicationInfo());
            case "getApplicationInfo":
                return Views.application(supvisors.getApplicationInfo(str(w[1])));
            case "getApplicationRules":
                return applicationRules(supvisors.getApplicationRules(str(w[1])));
            case "getAllProcessInfo":
                return items(supvisors.getAllProcessInfo());
            case "getProcessInfo":
                return items(supvisors.getProcessInfo(str(w[1])));
            case "getAllLocalProcessInfo":
                return items(supvisors.getAllLocalProcessInfo());
            case "getLocalProcessInfo":
                return local(supvisors.getLocalProcessInfo(str(w[1])));
            case "getAllInnerProcessInfo":
                return inners(supvisors.getAllInnerProcessInfo(str(w[1])));
            case "getInnerProcessInfo":
                return inners(supvisors.getInnerProcessInfo(str(w[1]), str(w[2])));
            case "getProcessRules":
                return items(supvisors.getProcessRules(str(w[1])));
            case "getConflicts":
                return items(supvisors.getConflicts());
            case "startApplication":
                return supvisors.startApplication(StartingStrategy.valueOf(w[1]), str(w[2]), bool(w[3]));
            case "testStartApplication":
                return items(supvisors.testStartApplication(StartingStrategy.valueOf(w[1]), str(w[2])));
            case "stopApplication":
                return supvisors.stopApplication(str(w[1]), bool(w[2]));
            case "restartApplication":
                return supvisors.restartApplication(StartingStrategy.valueOf(w[1]), str(w[2]), bool(w[3]));
            case "startArgs":
                return supvisors.startArgs(str(w[1]), str(w[2]), bool(w[3]));
            case "startProcess":
                return supvisors.startProcess(StartingStrategy.valueOf(w[1]), str(w[2]), str(w[3]), bool(w[4]));
            case "testStartProcess":
                return items(supvisors.testStartProcess(StartingStrategy.valueOf(w[1]), str(w[2])));
            case "startAnyProcess":
                return supvisors.startAnyProcess(StartingStrategy.valueOf(w[1]), str(w[2]), str(w[3]), bool(w[4]));
            case "stopProcess":
                return supvisors.stopProcess(str(w[1]), bool(w[2]));
            case "restartProcess":
                return supvisors.restartProcess(StartingStrategy.valueOf(w[1]), str(w[2]), str(w[3]), bool(w[4]));
            case "rollingRestart":
                return supvisors.rollingRestart(str(w[1]), Integer.parseInt(w[2]), Boolean.parseBoolean(w[3]));
            case "updateNumprocs":
                return supvisors.updateNumprocs(str(w[1]), Integer.valueOf(w[2]), bool(w[3]), bool(w[4]));
            case "enable":
                return supvisors.enable(str(w[1]), bool(w[2]));
            case "disable":
                return supvisors.disable(str(w[1]), bool(w[2]));
            case "conciliate":
                return supvisors.conciliate(ConciliationStrategy.valueOf(w[1]));
            case "restartSequence":
                return supvisors.restartSequence(bool(w[1]));
            case "restart":
                return supvisors.restart();
            case "shutdown":
                return supvisors.shutdown();
            case "endSynchronization":
                return w.length == 1 ? supvisors.endSynchronization() : supvisors.endSynchronization(str(w[1]));
            case "changeLogLevel":
                return supvisors.changeLogLevel(LoggerLevels.valueOf(w[1]));
            case "enableHostStatistics":
                return supvisors.enableHostStatistics(bool(w[1]));
            case "enableProcessStatistics":
                return supvisors.enableProcessStatistics(bool(w[1]));
            case "updateCollectingPeriod":
                return supvisors.updateCollectingPeriod(Double.valueOf(w[1]));
            default:
                throw new IllegalArgumentException("unknown method " + method);
        }
    }

    private static Object httpStatusOf(final SupervisorXmlRpcClient client) {
        try {
            return new SupvisorsXmlRpc(client).getAPIVersion();
        } catch (SupervisorXmlRpcException e) {
            return e.getHttpStatus();
        }
    }

    // ---- the typed results, back under the XML-RPC keys ----------------------------------------------

    private static String name(final Enum<?> value) {
        return Views.name(value);
    }

    /** A map of items as an object, in the map's order, each item by its own converter. */
    private static Map<String, Object> items(final Map<String, ?> map) {
        final Map<String, Object> out = new LinkedHashMap<String, Object>();
        for (Map.Entry<String, ?> e : map.entrySet()) {
            out.put(e.getKey(), item(e.getValue()));
        }
        return out;
    }

    private static Object item(final Object v) {
        if (v instanceof SupvisorsStateModes) return stateModes((SupvisorsStateModes) v);
        if (v instanceof SupvisorsInstanceInfo) return Views.instance((SupvisorsInstanceInfo) v);
        if (v instanceof SupvisorsApplicationInfo) return Views.application((SupvisorsApplicationInfo) v);
        if (v instanceof SupvisorsProcessInfo) return Views.process((SupvisorsProcessInfo) v);
        if (v instanceof SupvisorsLocalProcessInfo) return local((SupvisorsLocalProcessInfo) v);
        if (v instanceof SupvisorsProcessRules) return processRules((SupvisorsProcessRules) v);
        if (v instanceof SupvisorsDistributionInfo) return distribution((SupvisorsDistributionInfo) v);
        throw new IllegalArgumentException("no converter for " + v.getClass());
    }

    private static void common(final Map<String, Object> f, final SupvisorsCommonStateModes s) {
        f.put("identifier", s.getIdentifier());
        f.put("nick_identifier", s.getNickIdentifier());
        f.put("now_monotonic", s.getNowMonotonic());
        f.put("fsm_statename", name(s.getState()));
        f.put("master_identifier", s.getMasterIdentifier());
        f.put("degraded_mode", s.inDegradedMode());
        f.put("discovery_mode", s.inDiscoveryMode());
        final Map<String, Object> states = new TreeMap<String, Object>();
        for (Map.Entry<String, ?> e : s.getInstanceStates().entrySet()) {
            states.put(e.getKey(), name((Enum<?>) e.getValue()));
        }
        f.put("instance_states", states);
        // the name the getters give, to check getName() and getSupvisorsIdentifier()
        if (!s.getName().equals(s.getIdentifier())
                || !s.getSupvisorsIdentifier().getIdentifier().equals(s.getIdentifier())) {
            throw new IllegalStateException("getName / getSupvisorsIdentifier differ from getIdentifier");
        }
    }

    private static Map<String, Object> status(final SupvisorsStatus s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        common(f, s);
        f.put("starting_jobs", s.getStartingJobs());
        f.put("stopping_jobs", s.getStoppingJobs());
        return f;
    }

    private static Map<String, Object> stateModes(final SupvisorsStateModes s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        common(f, s);
        f.put("starting_jobs", s.hasStartingJobs());
        f.put("stopping_jobs", s.hasStoppingJobs());
        return f;
    }

    private static Map<String, Object> identifier(final SupvisorsIdentifier id) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        if (id.getIdentifier() != null) {
            f.put("identifier", id.getIdentifier());
        }
        if (id.getNickIdentifier() != null) {
            f.put("nick_identifier", id.getNickIdentifier());
        }
        return f;
    }

    private static Map<String, Object> strategies(final SupvisorsStrategies s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("auto-fencing", s.isAutoFencing());
        f.put("starting", name(s.getStartingStrategy()));
        f.put("conciliation", name(s.getConciliationStrategy()));
        f.put("supvisors_failure", name(s.getSupvisorsFailureStrategy()));
        return f;
    }

    private static Map<String, Object> statistics(final SupvisorsStatisticsStatus s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("host_stats", s.areHostStatisticsCollected());
        f.put("process_stats", s.areProcessStatisticsCollected());
        f.put("collecting_period", s.getStatisticsCollectingPeriod());
        return f;
    }

    private static Map<String, Object> network(final SupvisorsNetworkInfo n) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("identifier", n.getIdentifier().getIdentifier());
        f.put("nick_identifier", n.getIdentifier().getNickIdentifier());
        f.put("host_id", n.getHostId());
        f.put("http_port", n.getHttpPort());
        f.put("stereotypes", n.getStereotypes());
        final SupvisorsNetworkInfo.LocalNetwork local = n.getNetwork();
        if (local != null) {
            final Map<String, Object> net = new TreeMap<String, Object>();
            net.put("machine_id", local.getMachineId());
            net.put("fqdn", local.getFqdn());
            final Map<String, Object> addresses = new TreeMap<String, Object>();
            for (Map.Entry<String, SupvisorsNetworkInfo.NetworkAddress> e : local.getAddresses().entrySet()) {
                final SupvisorsNetworkInfo.NetworkAddress a = e.getValue();
                final Map<String, Object> address = new TreeMap<String, Object>();
                address.put("host_name", a.getHostName());
                address.put("aliases", a.getAliases());
                address.put("ipv4_addresses", a.getIpv4Addresses());
                final SupvisorsNetworkInfo.NicInformation nic = a.getNicInfo();
                if (nic != null) {
                    final Map<String, Object> info = new TreeMap<String, Object>();
                    info.put("nic_name", nic.getNicName());
                    info.put("ipv4_address", nic.getIpv4Address());
                    info.put("netmask", nic.getNetmask());
                    address.put("nic_info", info);
                }
                addresses.put(e.getKey(), address);
            }
            net.put("addresses", addresses);
            f.put("network", net);
        }
        return f;
    }

    private static Map<String, Object> applicationRules(final SupvisorsApplicationRules s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("application_name", s.getApplicationName());
        f.put("managed", s.isManaged());
        if (Boolean.TRUE.equals(s.isManaged())) {
            f.put("distribution", name(s.getDistribution()));
            f.put("identifiers", s.getIdentifiers());
            f.put("start_sequence", s.getStartSequence());
            f.put("stop_sequence", s.getStopSequence());
            f.put("starting_strategy", name(s.getStartingStrategy()));
            f.put("starting_failure_strategy", name(s.getStartingFailureStrategy()));
            f.put("running_failure_strategy", name(s.getRunningFailureStrategy()));
            f.put("status_formula", s.getStatusFormula());
        }
        return f;
    }

    private static Map<String, Object> local(final SupvisorsLocalProcessInfo s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("group", s.getGroup());
        f.put("name", s.getProcessName());
        f.put("statename", name(s.getState()));
        f.put("start", s.getStart());
        f.put("stop", s.getStop());
        f.put("now", s.getNow());
        f.put("pid", s.getPID());
        f.put("description", s.getDescription());
        f.put("spawnerr", s.getSpawnError());
        f.put("expected", s.isExpected());
        f.put("start_monotonic", s.getStartMonotonic());
        f.put("stop_monotonic", s.getStopMonotonic());
        f.put("now_monotonic", s.getNowMonotonic());
        f.put("extra_args", s.getExtraArgs());
        f.put("startsecs", s.getStartSeconds());
        f.put("stopwaitsecs", s.getStopWaitSeconds());
        f.put("process_index", s.getProcessIndex());
        f.put("program_name", s.getProgramName());
        f.put("disabled", s.isDisabled());
        f.put("has_stdout", s.hasStdout());
        f.put("has_stderr", s.hasStderr());
        return f;
    }

    private static List<Object> inners(final List<SupvisorsInnerProcessInfo> list) {
        final List<Object> out = new ArrayList<Object>();
        for (SupvisorsInnerProcessInfo s : list) {
            final Map<String, Object> f = new TreeMap<String, Object>();
            f.put("identifier", s.getIdentifier());
            f.put("nick_identifier", s.getNickIdentifier());
            f.put("group", s.getGroup());
            f.put("name", s.getProcessName());
            f.put("statename", name(s.getState()));
            f.put("start", s.getStart());
            f.put("stop", s.getStop());
            f.put("now", s.getNow());
            f.put("pid", s.getPID());
            f.put("description", s.getDescription());
            f.put("spawnerr", s.getSpawnError());
            f.put("expected", s.isExpected());
            f.put("start_monotonic", s.getStartMonotonic());
            f.put("stop_monotonic", s.getStopMonotonic());
            f.put("now_monotonic", s.getNowMonotonic());
            f.put("extra_args", s.getExtraArgs());
            f.put("startsecs", s.getStartSeconds());
            f.put("stopwaitsecs", s.getStopWaitSeconds());
            f.put("process_index", s.getProcessIndex());
            f.put("program_name", s.getProgramName());
            f.put("disabled", s.isDisabled());
            f.put("has_stdout", s.hasStdout());
            f.put("has_stderr", s.hasStderr());
            f.put("local_mtime", s.getLocalMonotonicTime());
            f.put("event_time", s.getEventTime());
            f.put("uptime", s.getUptime());
            f.put("has_crashed", s.hasCrashed());
            out.add(f);
        }
        return out;
    }

    private static Map<String, Object> processRules(final SupvisorsProcessRules s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("application_name", s.getApplicationName());
        f.put("process_name", s.getProcessName());
        f.put("identifiers", s.getIdentifiers());
        f.put("start_sequence", s.getStartSequence());
        f.put("stop_sequence", s.getStopSequence());
        f.put("required", s.isRequired());
        f.put("wait_exit", s.hasToWaitExit());
        f.put("expected_loading", s.getExpectedLoading());
        f.put("starting_failure_strategy", name(s.getStartingFailureStrategy()));
        f.put("running_failure_strategy", name(s.getRunningFailureStrategy()));
        return f;
    }

    private static Map<String, Object> distribution(final SupvisorsDistributionInfo s) {
        final Map<String, Object> f = new TreeMap<String, Object>();
        f.put("application_name", s.getApplicationName());
        f.put("process_name", s.getProcessName());
        f.put("state", name(s.getState()));
        f.put("forced_reason", s.getForcedReason());
        f.put("running_identifiers", s.getRunningIdentifiers());
        return f;
    }
}
