package org.supvisors.test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.supvisors.common.SupervisorConfigInfo;
import org.supvisors.common.SupervisorConfigUpdates;
import org.supvisors.common.SupervisorExecutionStatus;
import org.supvisors.common.SupervisorLogResult;
import org.supvisors.common.SupervisorProcessInfo;
import org.supvisors.common.SupervisorState;
import org.supvisors.rpc.SupervisorXmlRpc;
import org.supvisors.rpc.SupervisorXmlRpcClient;
import org.supvisors.rpc.SupervisorXmlRpcException;
import org.supvisors.rpc.SystemXmlRpc;

/**
 * SupervisorCheck tcp HOST PORT USER PASS MODE | unix SOCKET MODE [USER PASS] (tcp USER "-": none).
 *
 * Calls the SupervisorXmlRpc and SystemXmlRpc methods of MODE (read, act, noauth, restart, shutdown,
 * or codec: raw rpcCall against the test's fake server, the Java class of every value printed)
 * and prints one line per call, "label TAB json": the json is rebuilt from the GETTERS of the typed
 * result under the XML-RPC field names, so that a test compares it with the raw answer of the same
 * call made by another client. A fault prints {"fault":code}, a refused call {"http":status}.
 * The programs named here are those of test/java/java-supervisor.test.ts's configuration.
 */
public final class SupervisorCheck {

    /** One call whose result is turned into JSON-ready values. */
    private interface Call {
        Object run() throws Exception;
    }

    private final SupervisorXmlRpcClient client;
    private final SupervisorXmlRpc supervisor;
    private final SystemXmlRpc system;

    private SupervisorCheck(final SupervisorXmlRpcClient client) {
        this.client = client;
        this.supervisor = new SupervisorXmlRpc(client);
        this.system = new SystemXmlRpc(client);
    }

    public static void main(final String[] args) throws Exception {
        final SupervisorXmlRpcClient client;
        final String mode;
        if (args.length == 6 && args[0].equals("tcp")) {
            client = args[3].equals("-") ? new SupervisorXmlRpcClient(args[1], Integer.parseInt(args[2]))
                    : new SupervisorXmlRpcClient(args[1], Integer.parseInt(args[2]), args[3], args[4]);
            mode = args[5];
        } else if ((args.length == 3 || args.length == 5) && args[0].equals("unix")) {
            client = args.length == 3 ? SupervisorXmlRpcClient.unixSocket(Path.of(args[1]))
                    : SupervisorXmlRpcClient.unixSocket(Path.of(args[1]), args[3], args[4]);
            mode = args[2];
        } else {
            System.err.println("usage: SupervisorCheck tcp HOST PORT USER PASS MODE | unix SOCKET MODE [USER PASS]");
            System.exit(2);
            return;
        }
        final SupervisorCheck check = new SupervisorCheck(client);
        switch (mode) {
            case "read": check.read(); break;
            case "act": check.act(); break;
            case "codec": check.codec(); break;
            case "noauth": check.print("getState", () -> state(check.supervisor.getState())); break;
            case "restart": check.print("restart", check.supervisor::restart); break;
            case "shutdown": check.print("shutdown", check.supervisor::shutdown); break;
            default:
                System.err.println("unknown mode " + mode);
                System.exit(2);
        }
        System.out.flush();
    }

    /** Calls that change nothing: their answers are the same when asked again. */
    @SuppressWarnings("deprecation")
    private void read() {
        print("getAPIVersion", supervisor::getAPIVersion);
        print("getVersion", supervisor::getVersion);
        print("getSupervisorVersion", supervisor::getSupervisorVersion);
        print("getIdentification", supervisor::getIdentification);
        print("getState", () -> state(supervisor.getState()));
        print("getPID", supervisor::getPID);
        print("readLog", () -> supervisor.readLog(0, 4));
        print("readMainLog", () -> supervisor.readMainLog(0, 4));
        print("getProcessInfo(talker)", () -> processInfo(supervisor.getProcessInfo("talker")));
        print("getProcessInfo(idle)", () -> processInfo(supervisor.getProcessInfo("idle")));
        print("getProcessInfo(multi:multi_1)", () -> processInfo(supervisor.getProcessInfo("multi:multi_1")));
        print("getProcessInfo(nosuch)", () -> processInfo(supervisor.getProcessInfo("nosuch")));
        print("getAllProcessInfo", () -> byName(supervisor.getAllProcessInfo(), SupervisorCheck::processInfo));
        print("getAllConfigInfo", () -> byName(supervisor.getAllConfigInfo(), SupervisorCheck::configInfo));
        print("readProcessStdoutLog", () -> supervisor.readProcessStdoutLog("talker", 0, 0));
        print("readProcessLog", () -> supervisor.readProcessLog("talker", 0, 0));
        print("readProcessStderrLog", () -> supervisor.readProcessStderrLog("talker", 0, 0));
        print("readProcessStdoutLog(nosuch)", () -> supervisor.readProcessStdoutLog("nosuch", 0, 0));
        print("tailProcessStdoutLog", () -> logResult(supervisor.tailProcessStdoutLog("talker", 0, 100)));
        print("tailProcessLog", () -> logResult(supervisor.tailProcessLog("talker", 0, 4)));
        print("tailProcessStderrLog", () -> logResult(supervisor.tailProcessStderrLog("talker", 0, 100)));
        print("listMethods", system::listMethods);
        print("methodHelp", () -> system.methodHelp("supervisor.getState"));
        print("methodSignature", () -> system.methodSignature("supervisor.startProcess"));
        print("methodSignature(nosuch)", () -> system.methodSignature("supervisor.nosuch"));
        print("multicall", () -> system.multicall(new Object[]{
            SystemXmlRpc.createCall("supervisor.getAPIVersion", null),
            SystemXmlRpc.createCall("supervisor.getProcessInfo", new Object[]{"nosuch"}),
            SystemXmlRpc.createCall("system.methodSignature", new Object[]{"supervisor.getPID"}),
            SystemXmlRpc.createCall("supervisor.readProcessStdoutLog", new Object[]{"talker", 0, 0}),
        }));
    }

    /**
     * Calls that change the daemon, in an order that ends where it began (same processes running,
     * logs cleared), so that the test can make them again and expect the same answers.
     */
    @SuppressWarnings("deprecation")
    private void act() {
        print("stopProcess(sleeper)", () -> supervisor.stopProcess("sleeper", true));
        print("stopProcess(sleeper) again", () -> supervisor.stopProcess("sleeper", true));
        print("startProcess(sleeper)", () -> supervisor.startProcess("sleeper", true));
        print("startProcess(sleeper) again", () -> supervisor.startProcess("sleeper", true));
        print("startProcess(nosuch)", () -> supervisor.startProcess("nosuch", true));
        print("startProcess(multi:*)", () -> supervisor.startProcess("multi:*", true));
        print("stopProcessGroup", () -> byName(supervisor.stopProcessGroup("multi", true), SupervisorCheck::status));
        print("startProcessGroup", () -> byName(supervisor.startProcessGroup("multi", true), SupervisorCheck::status));
        print("startProcessGroup(nosuch)", () -> byName(supervisor.startProcessGroup("nosuch", true), SupervisorCheck::status));
        print("signalProcess", () -> supervisor.signalProcess("sleeper", "CONT"));
        print("signalProcess(bad signal)", () -> supervisor.signalProcess("sleeper", "NOSUCH"));
        print("signalProcess(idle)", () -> supervisor.signalProcess("idle", "CONT"));
        print("signalProcessGroup", () -> byName(supervisor.signalProcessGroup("multi", "CONT"), SupervisorCheck::status));
        print("signalAllProcesses", () -> byName(supervisor.signalAllProcesses("CONT"), SupervisorCheck::status));
        print("sendProcessStdin", () -> supervisor.sendProcessStdin("cat", "hello\n"));
        print("sendProcessStdin(idle)", () -> supervisor.sendProcessStdin("idle", "hello\n"));
        print("sendRemoteCommEvent", () -> supervisor.sendRemoteCommEvent("java", "data"));
        print("removeProcessGroup(sleeper)", () -> supervisor.removeProcessGroup("sleeper"));
        print("removeProcessGroup(idle)", () -> supervisor.removeProcessGroup("idle"));
        print("reloadConfig", () -> configUpdates(supervisor.reloadConfig()));
        print("addProcessGroup(idle)", () -> supervisor.addProcessGroup("idle"));
        print("addProcessGroup(idle) again", () -> supervisor.addProcessGroup("idle"));
        print("addProcessGroup(nosuch)", () -> supervisor.addProcessGroup("nosuch"));
        print("stopAllProcesses", () -> byName(supervisor.stopAllProcesses(true), SupervisorCheck::status));
        print("startAllProcesses", () -> byName(supervisor.startAllProcesses(true), SupervisorCheck::status));
        print("stopProcess(idle)", () -> supervisor.stopProcess("idle", true));
        print("clearProcessLogs", () -> supervisor.clearProcessLogs("talker"));
        print("clearProcessLog", () -> supervisor.clearProcessLog("talker"));
        print("clearProcessLogs(nosuch)", () -> supervisor.clearProcessLogs("nosuch"));
        print("clearAllProcessLogs", () -> byName(supervisor.clearAllProcessLogs(), SupervisorCheck::status));
        print("clearLog", supervisor::clearLog);
    }

    /**
     * rpcCall against the fake server of the test: the Java class of each value it answers, the
     * parameters it echoes back, and the exception of each way a call can fail.
     */
    private void codec() {
        codecLine("types", () -> client.rpcCall("types", null, HashMap.class));
        final HashMap<String, Object> struct = new HashMap<>();
        struct.put("list", List.of(1, "x"));
        struct.put("empty", new Object[0]);
        codecLine("echo", () -> client.rpcCall("echo", new Object[]{
            7, 1L << 40, 1.5, 2.5f, true, false, "a<b&c>]]>\r\n\t \u00e9\u20ac", "", new byte[]{0, 1, 2, (byte) 255},
            new java.util.Date(31536000000L), struct, new Object[]{null, "y"}, null,
        }, Object[].class));
        codecLine("fault", () -> client.rpcCall("fault", null, Object.class));
        codecLine("http500", () -> client.rpcCall("http500", null, Object.class));
        codecLine("doctype", () -> client.rpcCall("doctype", null, Object.class));
        codecLine("garbage", () -> client.rpcCall("garbage", null, Object.class));
        codecLine("mismatch", () -> client.rpcCall("types", null, String.class));
        codecLine("unserializable", () -> client.rpcCall("echo", new Object[]{new Object()}, Object[].class));
    }

    private static void codecLine(final String label, final Call call) {
        String json;
        try {
            json = toJson(tagged(call.run()));
        } catch (SupervisorXmlRpcException e) {
            final Map<String, Object> error = new LinkedHashMap<>();
            error.put("isFault", e.isFault());
            error.put("code", e.getCode());
            error.put("http", e.getHttpStatus());
            error.put("message", e.getMessage());
            json = toJson(error);
        } catch (Exception e) {
            json = "{\"unexpected\":" + toJson(e.toString()) + "}";
        }
        System.out.println(label + "\t" + json);
    }

    /** {"class": the Java class, "value": ...}, recursively through structs and arrays. */
    private static Map<String, Object> tagged(final Object value) {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("class", value == null ? null : value.getClass().getSimpleName());
        if (value instanceof Map) {
            final Map<String, Object> members = new TreeMap<>();
            ((Map<?, ?>) value).forEach((k, v) -> members.put(String.valueOf(k), tagged(v)));
            out.put("value", members);
        } else if (value instanceof Object[]) {
            final List<Object> items = new ArrayList<>();
            for (final Object item : (Object[]) value) {
                items.add(tagged(item));
            }
            out.put("value", items);
        } else if (value instanceof java.util.Date) {
            out.put("value", ((java.util.Date) value).getTime());
        } else {
            out.put("value", value);
        }
        return out;
    }

    // ---- the typed results as the XML-RPC structs they came from, through their getters only

    private static Map<String, Object> state(final SupervisorState state) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("statename", state.getState() == null ? null : state.getState().name());
        return json;
    }

    private static Map<String, Object> processInfo(final SupervisorProcessInfo info) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", info.getProcessName());
        json.put("group", info.getGroupName());
        json.put("description", info.getDescription());
        json.put("start", info.getStartTime());
        json.put("stop", info.getStopTime());
        json.put("now", info.getCurrentTime());
        json.put("statename", info.getState() == null ? null : info.getState().name());
        json.put("spawnerr", info.getSpawnError());
        json.put("exitstatus", info.getExitStatus());
        json.put("logfile", info.getLogFile());
        json.put("stdout_logfile", info.getStdoutLogFile());
        json.put("stderr_logfile", info.getStderrLogFile());
        json.put("pid", info.getPID());
        return json;
    }

    private static Map<String, Object> configInfo(final SupervisorConfigInfo info) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", info.getProcessName());
        json.put("group", info.getGroupName());
        json.put("inuse", info.isInUse());
        json.put("autostart", info.isAutoStart());
        json.put("process_prio", info.getProcessPriority());
        json.put("group_prio", info.getGroupPriority());
        return json;
    }

    private static Map<String, Object> status(final SupervisorExecutionStatus status) {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", status.getProcessName());
        json.put("group", status.getGroupName());
        json.put("description", status.getDescription());
        json.put("status", status.getStatus() == null ? null : status.getStatus().getFaultCode());
        return json;
    }

    private static List<Object> logResult(final SupervisorLogResult result) {
        return List.of(result.getBytes(), result.getOffset(), result.getOverflow());
    }

    private static List<Object> configUpdates(final SupervisorConfigUpdates updates) {
        return List.of(List.of(updates.getAdded(), updates.getChanged(), updates.getRemoved()));
    }

    private static <T> Map<String, Object> byName(final HashMap<String, T> items, final java.util.function.Function<T, Object> json) {
        final Map<String, Object> out = new TreeMap<>();
        items.forEach((name, item) -> out.put(name, json.apply(item)));
        return out;
    }

    // ---- output

    private void print(final String label, final Call call) {
        String json;
        try {
            json = toJson(call.run());
        } catch (SupervisorXmlRpcException e) {
            if (e.isFault()) {
                json = "{\"fault\":" + e.getCode() + "}";
            } else if (e.getHttpStatus() != 0) {
                json = "{\"http\":" + e.getHttpStatus() + "}";
            } else {
                json = "{\"error\":" + toJson(String.valueOf(e.getMessage())) + "}";
            }
        } catch (IllegalArgumentException e) {
            json = "{\"illegal\":true}";
        } catch (Exception e) {
            json = "{\"error\":" + toJson(e.toString()) + "}";
        }
        System.out.println(label + "\t" + json);
    }

    /** JSON of the values of a typed result or of a raw XML-RPC value. */
    static String toJson(final Object value) {
        return Json.of(value);
    }
}
