package org.supvisors.rpc;

import java.util.HashMap;
import org.supvisors.common.DataConversion;
import org.supvisors.common.SupervisorConfigInfo;
import org.supvisors.common.SupervisorConfigUpdates;
import org.supvisors.common.SupervisorExecutionStatus;
import org.supvisors.common.SupervisorLogResult;
import org.supvisors.common.SupervisorProcessInfo;
import org.supvisors.common.SupervisorState;

/**
 * The supervisor.* methods of supervisord 4.2.5, with typed results. Every method is public: the
 * 0.19 client declared them private, which left this class unusable from outside.
 */
public class SupervisorXmlRpc {

    private static final String NAMESPACE = "supervisor.";

    private final SupervisorXmlRpcClient client;

    public SupervisorXmlRpc(final SupervisorXmlRpcClient client) {
        this.client = client;
    }

    private <T> T call(final String method, final Object[] params, final Class<T> type)
            throws SupervisorXmlRpcException {
        return client.rpcCall(NAMESPACE + method, params, type);
    }

    /** The execution statuses of a group or "all" call, keyed by namespec. */
    private HashMap<String, SupervisorExecutionStatus> statuses(final String method, final Object[] params)
            throws SupervisorXmlRpcException {
        return DataConversion.arrayToMap(call(method, params, Object[].class), SupervisorExecutionStatus.class);
    }

    /** A single process is expected: "group:*" is a group and has its own method. */
    private static void requireProcess(final String namespec, final String groupMethod) {
        if (DataConversion.namespecToStrings(namespec)[1] == null) {
            throw new IllegalArgumentException("The namespec " + namespec + " names a group: use " + groupMethod + ".");
        }
    }

    // ---- status and control of supervisord itself

    /** @return the version of the RPC API ("3.0"). */
    public String getAPIVersion() throws SupervisorXmlRpcException {
        return call("getAPIVersion", null, String.class);
    }

    /** @deprecated supervisord's alias of getAPIVersion. */
    @Deprecated
    public String getVersion() throws SupervisorXmlRpcException {
        return call("getVersion", null, String.class);
    }

    /** @return the version of supervisord, e.g. "4.2.5". */
    public String getSupervisorVersion() throws SupervisorXmlRpcException {
        return call("getSupervisorVersion", null, String.class);
    }

    /** @return the identifier option of [supervisord]. */
    public String getIdentification() throws SupervisorXmlRpcException {
        return call("getIdentification", null, String.class);
    }

    public SupervisorState getState() throws SupervisorXmlRpcException {
        return new SupervisorState(call("getState", null, HashMap.class));
    }

    /** @return the pid of supervisord. */
    public Integer getPID() throws SupervisorXmlRpcException {
        return call("getPID", null, Integer.class);
    }

    /**
     * Reads the main log.
     *
     * @param offset where to start; negative counts from the end.
     * @param length how many bytes; 0 to the end.
     */
    public String readLog(final Integer offset, final Integer length) throws SupervisorXmlRpcException {
        return call("readLog", new Object[]{offset, length}, String.class);
    }

    /** @deprecated supervisord's alias of readLog. */
    @Deprecated
    public String readMainLog(final Integer offset, final Integer length) throws SupervisorXmlRpcException {
        return call("readMainLog", new Object[]{offset, length}, String.class);
    }

    public Boolean clearLog() throws SupervisorXmlRpcException {
        return call("clearLog", null, Boolean.class);
    }

    public Boolean shutdown() throws SupervisorXmlRpcException {
        return call("shutdown", null, Boolean.class);
    }

    public Boolean restart() throws SupervisorXmlRpcException {
        return call("restart", null, Boolean.class);
    }

    // ---- processes

    /** @param namespec "name" or "group:name". */
    public SupervisorProcessInfo getProcessInfo(final String namespec) throws SupervisorXmlRpcException {
        return new SupervisorProcessInfo(call("getProcessInfo", new Object[]{namespec}, HashMap.class));
    }

    /** @return every process, keyed by namespec. */
    public HashMap<String, SupervisorProcessInfo> getAllProcessInfo() throws SupervisorXmlRpcException {
        return DataConversion.arrayToMap(call("getAllProcessInfo", null, Object[].class), SupervisorProcessInfo.class);
    }

    /**
     * @param wait true to answer once the process is RUNNING (or failed to get there).
     * @throws IllegalArgumentException for a "group:*" namespec (use startProcessGroup).
     */
    public Boolean startProcess(final String namespec, final Boolean wait) throws SupervisorXmlRpcException {
        requireProcess(namespec, "startProcessGroup");
        return call("startProcess", new Object[]{namespec, wait}, Boolean.class);
    }

    public HashMap<String, SupervisorExecutionStatus> startProcessGroup(final String groupName, final Boolean wait)
            throws SupervisorXmlRpcException {
        return statuses("startProcessGroup", new Object[]{groupName, wait});
    }

    public HashMap<String, SupervisorExecutionStatus> startAllProcesses(final Boolean wait)
            throws SupervisorXmlRpcException {
        return statuses("startAllProcesses", new Object[]{wait});
    }

    /**
     * @param wait true to answer once the process is stopped.
     * @throws IllegalArgumentException for a "group:*" namespec (use stopProcessGroup).
     */
    public Boolean stopProcess(final String namespec, final Boolean wait) throws SupervisorXmlRpcException {
        requireProcess(namespec, "stopProcessGroup");
        return call("stopProcess", new Object[]{namespec, wait}, Boolean.class);
    }

    public HashMap<String, SupervisorExecutionStatus> stopProcessGroup(final String groupName, final Boolean wait)
            throws SupervisorXmlRpcException {
        return statuses("stopProcessGroup", new Object[]{groupName, wait});
    }

    public HashMap<String, SupervisorExecutionStatus> stopAllProcesses(final Boolean wait)
            throws SupervisorXmlRpcException {
        return statuses("stopAllProcesses", new Object[]{wait});
    }

    /** @param signal a name ("HUP", "SIGHUP") or a number as text. */
    public Boolean signalProcess(final String namespec, final String signal) throws SupervisorXmlRpcException {
        return call("signalProcess", new Object[]{namespec, signal}, Boolean.class);
    }

    public HashMap<String, SupervisorExecutionStatus> signalProcessGroup(final String groupName, final String signal)
            throws SupervisorXmlRpcException {
        return statuses("signalProcessGroup", new Object[]{groupName, signal});
    }

    public HashMap<String, SupervisorExecutionStatus> signalAllProcesses(final String signal)
            throws SupervisorXmlRpcException {
        return statuses("signalAllProcesses", new Object[]{signal});
    }

    /** Writes chars to the stdin of the running process. */
    public Boolean sendProcessStdin(final String namespec, final String chars) throws SupervisorXmlRpcException {
        return call("sendProcessStdin", new Object[]{namespec, chars}, Boolean.class);
    }

    /** Emits a REMOTE_COMMUNICATION event to the event listeners. */
    public Boolean sendRemoteCommEvent(final String event_type, final String event_data)
            throws SupervisorXmlRpcException {
        return call("sendRemoteCommEvent", new Object[]{event_type, event_data}, Boolean.class);
    }

    // ---- configuration

    /** @return the configuration of every process, keyed by namespec. */
    public HashMap<String, SupervisorConfigInfo> getAllConfigInfo() throws SupervisorXmlRpcException {
        return DataConversion.arrayToMap(call("getAllConfigInfo", null, Object[].class), SupervisorConfigInfo.class);
    }

    /** Rereads the configuration files; applies nothing (see addProcessGroup / removeProcessGroup). */
    public SupervisorConfigUpdates reloadConfig() throws SupervisorXmlRpcException {
        return new SupervisorConfigUpdates(call("reloadConfig", null, Object[].class));
    }

    public Boolean addProcessGroup(final String namespec) throws SupervisorXmlRpcException {
        return call("addProcessGroup", new Object[]{namespec}, Boolean.class);
    }

    /** Removes a group whose processes are all stopped. */
    public Boolean removeProcessGroup(final String namespec) throws SupervisorXmlRpcException {
        return call("removeProcessGroup", new Object[]{namespec}, Boolean.class);
    }

    // ---- process logs

    public String readProcessStdoutLog(final String namespec, final Integer offset, final Integer length)
            throws SupervisorXmlRpcException {
        return call("readProcessStdoutLog", new Object[]{namespec, offset, length}, String.class);
    }

    /** @deprecated supervisord's alias of readProcessStdoutLog. */
    @Deprecated
    public String readProcessLog(final String namespec, final Integer offset, final Integer length)
            throws SupervisorXmlRpcException {
        return call("readProcessLog", new Object[]{namespec, offset, length}, String.class);
    }

    public String readProcessStderrLog(final String namespec, final Integer offset, final Integer length)
            throws SupervisorXmlRpcException {
        return call("readProcessStderrLog", new Object[]{namespec, offset, length}, String.class);
    }

    /** @param offset where the previous tail ended; length the most bytes wanted. */
    public SupervisorLogResult tailProcessStdoutLog(final String namespec, final Integer offset, final Integer length)
            throws SupervisorXmlRpcException {
        return new SupervisorLogResult(call("tailProcessStdoutLog", new Object[]{namespec, offset, length}, Object[].class));
    }

    /** @deprecated supervisord's alias of tailProcessStdoutLog. */
    @Deprecated
    public SupervisorLogResult tailProcessLog(final String namespec, final Integer offset, final Integer length)
            throws SupervisorXmlRpcException {
        return new SupervisorLogResult(call("tailProcessLog", new Object[]{namespec, offset, length}, Object[].class));
    }

    public SupervisorLogResult tailProcessStderrLog(final String namespec, final Integer offset, final Integer length)
            throws SupervisorXmlRpcException {
        return new SupervisorLogResult(call("tailProcessStderrLog", new Object[]{namespec, offset, length}, Object[].class));
    }

    public Boolean clearProcessLogs(final String namespec) throws SupervisorXmlRpcException {
        return call("clearProcessLogs", new Object[]{namespec}, Boolean.class);
    }

    /** @deprecated supervisord's alias of clearProcessLogs. */
    @Deprecated
    public Boolean clearProcessLog(final String namespec) throws SupervisorXmlRpcException {
        return call("clearProcessLog", new Object[]{namespec}, Boolean.class);
    }

    public HashMap<String, SupervisorExecutionStatus> clearAllProcessLogs() throws SupervisorXmlRpcException {
        return statuses("clearAllProcessLogs", null);
    }
}
