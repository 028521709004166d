package org.supvisors.rpc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import org.supvisors.common.ConciliationStrategy;
import org.supvisors.common.LoggerLevels;
import org.supvisors.common.StartingStrategy;
import org.supvisors.common.SupvisorsAnyInfo;
import org.supvisors.common.SupvisorsApplicationInfo;
import org.supvisors.common.SupvisorsApplicationRules;
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

/**
 * The supvisors namespace of the XML-RPC API (spec 5.3), typed: every method the daemon serves
 * under "supvisors." has one here. The methods returning several items give a map keyed by their
 * name (identifier, application name or namespec) that keeps the order of the answer.
 * A fault answered by the server is a SupervisorXmlRpcException whose getCode() is the fault code
 * (the Supervisor codes of SupervisorFaults, or the Supvisors ones: 100 SUPVISORS_CONF_ERROR,
 * 101 BAD_SUPVISORS_STATE, 102 NOT_MANAGED, 103 DISABLED, 104 NOT_APPLICABLE, 105 NOT_INSTALLED).
 * The strategies are sent by their value.
 */
public class SupvisorsXmlRpc {

    private static final String NAMESPACE = "supvisors.";

    private final SupervisorXmlRpcClient client;

    /** @param client the XML-RPC client of the instance to call. */
    public SupvisorsXmlRpc(final SupervisorXmlRpcClient client) {
        this.client = client;
    }

    // ---- the calls and their results -----------------------------------------------------------

    private Object call(final String method, final Object... params) throws SupervisorXmlRpcException {
        return client.rpcCall(NAMESPACE + method, params, Object.class);
    }

    private static SupervisorXmlRpcException unexpected(final String method, final String expected, final Object value) {
        return SupervisorXmlRpcException.transport("supvisors." + method + ": " + expected + " expected, got "
            + (value == null ? "nil" : value.getClass().getSimpleName()), null);
    }

    private HashMap struct(final String method, final Object... params) throws SupervisorXmlRpcException {
        final Object value = call(method, params);
        if (!(value instanceof HashMap)) {
            throw unexpected(method, "a struct", value);
        }
        return (HashMap) value;
    }

    private Object[] array(final String method, final Object... params) throws SupervisorXmlRpcException {
        final Object value = call(method, params);
        if (!(value instanceof Object[])) {
            throw unexpected(method, "an array", value);
        }
        return (Object[]) value;
    }

    private Boolean bool(final String method, final Object... params) throws SupervisorXmlRpcException {
        final Object value = call(method, params);
        if (!(value instanceof Boolean)) {
            throw unexpected(method, "a boolean", value);
        }
        return (Boolean) value;
    }

    private String string(final String method, final Object... params) throws SupervisorXmlRpcException {
        final Object value = call(method, params);
        if (!(value instanceof String)) {
            throw unexpected(method, "a string", value);
        }
        return (String) value;
    }

    private <T> List<T> list(final String method, final Function<HashMap, T> make, final Object... params)
            throws SupervisorXmlRpcException {
        final Object[] items = array(method, params);
        final List<T> list = new ArrayList<T>(items.length);
        for (Object item : items) {
            if (!(item instanceof HashMap)) {
                throw unexpected(method, "an array of structs", item);
            }
            list.add(make.apply((HashMap) item));
        }
        return list;
    }

    private <T extends SupvisorsAnyInfo> HashMap<String, T> map(final String method, final Function<HashMap, T> make,
            final Object... params) throws SupervisorXmlRpcException {
        final HashMap<String, T> map = new LinkedHashMap<String, T>();
        for (T item : list(method, make, params)) {
            map.put(item.getName(), item);
        }
        return map;
    }

    private static Object code(final Enum<?> strategy) {
        return strategy == null ? null : Integer.valueOf(strategy.ordinal());
    }

    // ---- status --------------------------------------------------------------------------------

    /** @return the version of the Supvisors API ("0.19"). */
    public String getAPIVersion() throws SupervisorXmlRpcException {
        return string("get_api_version");
    }

    /** @return the global state and modes of Supvisors as the instance sees them. */
    public SupvisorsStatus getSupvisorsState() throws SupervisorXmlRpcException {
        return new SupvisorsStatus(struct("get_supvisors_state"));
    }

    /** @return the state and modes each instance last published, by identifier. */
    public HashMap<String, SupvisorsStateModes> getAllInstancesStateModes() throws SupervisorXmlRpcException {
        return map("get_all_instances_state_modes", SupvisorsStateModes::new);
    }

    /**
     * @param identifier an identifier, a nick identifier or a stereotype.
     * @return the state and modes of the matching instances, by identifier.
     * @throws SupervisorXmlRpcException BAD_NAME when nothing matches.
     */
    public HashMap<String, SupvisorsStateModes> getInstanceStateModes(final String identifier)
            throws SupervisorXmlRpcException {
        return map("get_instance_state_modes", SupvisorsStateModes::new, identifier);
    }

    /**
     * @param identifier the identifier of an instance.
     * @return the network of its host.
     * @throws SupervisorXmlRpcException BAD_NAME when unknown.
     */
    public SupvisorsNetworkInfo getNetworkInfo(final String identifier) throws SupervisorXmlRpcException {
        return new SupvisorsNetworkInfo(struct("get_network_info", identifier));
    }

    /** @return the Master (its getIdentifier() is null when there is none yet). */
    public SupvisorsIdentifier getMasterIdentifier() throws SupervisorXmlRpcException {
        return new SupvisorsIdentifier(struct("get_master_identifier"));
    }

    /** @return the default strategies. */
    public SupvisorsStrategies getStrategies() throws SupervisorXmlRpcException {
        return new SupvisorsStrategies(struct("get_strategies"));
    }

    /** @return whether the instance collects statistics, and its period. */
    public SupvisorsStatisticsStatus getStatisticsStatus() throws SupervisorXmlRpcException {
        return new SupvisorsStatisticsStatus(struct("get_statistics_status"));
    }

    /** @return every instance, by identifier. */
    public HashMap<String, SupvisorsInstanceInfo> getAllInstancesInfo() throws SupervisorXmlRpcException {
        return map("get_all_instances_info", SupvisorsInstanceInfo::new);
    }

    /**
     * @param identifier an identifier, a nick identifier or a stereotype.
     * @return the matching instances, by identifier.
     * @throws SupervisorXmlRpcException BAD_NAME when nothing matches.
     */
    public HashMap<String, SupvisorsInstanceInfo> getInstanceInfo(final String identifier)
            throws SupervisorXmlRpcException {
        return map("get_instance_info", SupvisorsInstanceInfo::new, identifier);
    }

    /**
     * @return every application (managed or not), by name.
     * @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE before DISTRIBUTION.
     */
    public HashMap<String, SupvisorsApplicationInfo> getAllApplicationInfo() throws SupervisorXmlRpcException {
        return map("get_all_applications_info", SupvisorsApplicationInfo::new);
    }

    /** @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, BAD_NAME. */
    public SupvisorsApplicationInfo getApplicationInfo(final String applicationName) throws SupervisorXmlRpcException {
        return new SupvisorsApplicationInfo(struct("get_application_info", applicationName));
    }

    /** @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, BAD_NAME. */
    public SupvisorsApplicationRules getApplicationRules(final String applicationName)
            throws SupervisorXmlRpcException {
        return new SupvisorsApplicationRules(struct("get_application_rules", applicationName));
    }

    /** @return every process, by namespec. */
    public HashMap<String, SupvisorsProcessInfo> getAllProcessInfo() throws SupervisorXmlRpcException {
        return map("get_all_process_info", SupvisorsProcessInfo::new);
    }

    /**
     * @param namespec name, group:name or group:*.
     * @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, BAD_NAME.
     */
    public HashMap<String, SupvisorsProcessInfo> getProcessInfo(final String namespec)
            throws SupervisorXmlRpcException {
        return map("get_process_info", SupvisorsProcessInfo::new, namespec);
    }

    /** @return the processes of the local Supervisor of the instance, by namespec. */
    public HashMap<String, SupvisorsLocalProcessInfo> getAllLocalProcessInfo() throws SupervisorXmlRpcException {
        return map("get_all_local_process_info", SupvisorsLocalProcessInfo::new);
    }

    /** @throws SupervisorXmlRpcException BAD_NAME. */
    public SupvisorsLocalProcessInfo getLocalProcessInfo(final String namespec) throws SupervisorXmlRpcException {
        return new SupvisorsLocalProcessInfo(struct("get_local_process_info", namespec));
    }

    /**
     * The records the instance holds of the processes of other instances (a debug view, not in the
     * 0.19 Java client). A list: several instances may match, each with a record per process.
     *
     * @param identifier an identifier, a nick identifier or a stereotype.
     * @throws SupervisorXmlRpcException BAD_NAME.
     */
    public List<SupvisorsInnerProcessInfo> getAllInnerProcessInfo(final String identifier)
            throws SupervisorXmlRpcException {
        return list("get_all_inner_process_info", SupvisorsInnerProcessInfo::new, identifier);
    }

    /**
     * @param identifier an identifier, a nick identifier or a stereotype.
     * @param namespec group:name or group:*.
     * @throws SupervisorXmlRpcException BAD_NAME, FAILED (no record of that instance).
     */
    public List<SupvisorsInnerProcessInfo> getInnerProcessInfo(final String identifier, final String namespec)
            throws SupervisorXmlRpcException {
        return list("get_inner_process_info", SupvisorsInnerProcessInfo::new, identifier, namespec);
    }

    /** @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, BAD_NAME. */
    public HashMap<String, SupvisorsProcessRules> getProcessRules(final String namespec)
            throws SupervisorXmlRpcException {
        return map("get_process_rules", SupvisorsProcessRules::new, namespec);
    }

    /** @return the processes of managed applications running on several instances, by namespec. */
    public HashMap<String, SupvisorsProcessInfo> getConflicts() throws SupervisorXmlRpcException {
        return map("get_conflicts", SupvisorsProcessInfo::new);
    }

    // ---- applications --------------------------------------------------------------------------

    /**
     * @return true (with wait: once the application is RUNNING).
     * @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, INCORRECT_PARAMETERS, BAD_NAME, NOT_MANAGED,
     *     ALREADY_STARTED, ABNORMAL_TERMINATION, NOT_RUNNING.
     */
    public Boolean startApplication(final StartingStrategy strategy, final String applicationName,
            final Boolean wait) throws SupervisorXmlRpcException {
        return bool("start_application", code(strategy), applicationName, wait);
    }

    /** @return the predicted distribution of its processes, by namespec (nothing is started). */
    public HashMap<String, SupvisorsDistributionInfo> testStartApplication(final StartingStrategy strategy,
            final String applicationName) throws SupervisorXmlRpcException {
        return map("test_start_application", SupvisorsDistributionInfo::new, code(strategy), applicationName);
    }

    /** @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, BAD_NAME, NOT_MANAGED, NOT_RUNNING, STILL_RUNNING. */
    public Boolean stopApplication(final String applicationName, final Boolean wait) throws SupervisorXmlRpcException {
        return bool("stop_application", applicationName, wait);
    }

    /** @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, INCORRECT_PARAMETERS, BAD_NAME, ABNORMAL_TERMINATION. */
    public Boolean restartApplication(final StartingStrategy strategy, final String applicationName,
            final Boolean wait) throws SupervisorXmlRpcException {
        return bool("restart_application", code(strategy), applicationName, wait);
    }

    // ---- processes -----------------------------------------------------------------------------

    /** Starts a process on the local instance with extra arguments. */
    public Boolean startArgs(final String namespec, final String extraArgs, final Boolean wait)
            throws SupervisorXmlRpcException {
        return bool("start_args", namespec, extraArgs, wait);
    }

    /** @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, INCORRECT_PARAMETERS, BAD_NAME, ALREADY_STARTED, ... */
    public Boolean startProcess(final StartingStrategy strategy, final String namespec, final String extraArgs,
            final Boolean wait) throws SupervisorXmlRpcException {
        return bool("start_process", code(strategy), namespec, extraArgs, wait);
    }

    /** @return the predicted distribution of the processes, by namespec (nothing is started). */
    public HashMap<String, SupvisorsDistributionInfo> testStartProcess(final StartingStrategy strategy,
            final String namespec) throws SupervisorXmlRpcException {
        return map("test_start_process", SupvisorsDistributionInfo::new, code(strategy), namespec);
    }

    /**
     * @param regex a regular expression searched in the namespecs of the stopped processes.
     * @return the namespec of the process started.
     * @throws SupervisorXmlRpcException FAILED when no process matches, then the start_process faults.
     */
    public String startAnyProcess(final StartingStrategy strategy, final String regex, final String extraArgs,
            final Boolean wait) throws SupervisorXmlRpcException {
        return string("start_any_process", code(strategy), regex, extraArgs, wait);
    }

    /** @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, BAD_NAME, NOT_RUNNING, STILL_RUNNING. */
    public Boolean stopProcess(final String namespec, final Boolean wait) throws SupervisorXmlRpcException {
        return bool("stop_process", namespec, wait);
    }

    /** @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, INCORRECT_PARAMETERS, BAD_NAME, ABNORMAL_TERMINATION. */
    public Boolean restartProcess(final StartingStrategy strategy, final String namespec, final String extraArgs,
            final Boolean wait) throws SupervisorXmlRpcException {
        return bool("restart_process", code(strategy), namespec, extraArgs, wait);
    }

    /**
     * Ours (not in Supvisors): restarts the running processes of an application or a program instance by
     * instance, batchSize instances at a time, each batch ready again (or RUNNING without a readiness check)
     * before the next one.
     *
     * @param target an application ("app" or "app:*") or a program ("app:program_name", any numprocs).
     * @param batchSize how many instances are restarted at once (at least 1).
     * @param wait wait for the end of the rolling restart.
     * @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, BAD_NAME, NOT_RUNNING, INCORRECT_PARAMETERS,
     *     ALREADY_STARTED (a rolling restart of these processes in progress), or the fault of the step that failed.
     */
    public Boolean rollingRestart(final String target, final int batchSize, final boolean wait)
            throws SupervisorXmlRpcException {
        return bool("rolling_restart", target, Integer.valueOf(batchSize), Boolean.valueOf(wait));
    }

    /**
     * Changes the number of processes of a program on the local Supervisor of the instance.
     *
     * @throws SupervisorXmlRpcException BAD_NAME, INCORRECT_PARAMETERS, NOT_APPLICABLE, FAILED, STILL_RUNNING.
     */
    public Boolean updateNumprocs(final String programName, final Integer numProcs, final Boolean wait,
            final Boolean lazy) throws SupervisorXmlRpcException {
        return bool("update_numprocs", programName, numProcs, wait, lazy);
    }

    /** Enables the processes of a program on the local Supervisor of the instance. */
    public Boolean enable(final String programName, final Boolean wait) throws SupervisorXmlRpcException {
        return bool("enable", programName, wait);
    }

    /** Disables (and stops) the processes of a program on the local Supervisor of the instance. */
    public Boolean disable(final String programName, final Boolean wait) throws SupervisorXmlRpcException {
        return bool("disable", programName, wait);
    }

    // ---- Supvisors -----------------------------------------------------------------------------

    /**
     * @return false for USER (nothing done), true otherwise.
     * @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE out of CONCILIATION.
     */
    public Boolean conciliate(final ConciliationStrategy strategy) throws SupervisorXmlRpcException {
        return bool("conciliate", code(strategy));
    }

    /**
     * Runs the automatic start of the applications again, from the instance (not in the 0.19 Java client).
     *
     * @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE (also with jobs in progress), ABNORMAL_TERMINATION.
     */
    public Boolean restartSequence(final Boolean wait) throws SupervisorXmlRpcException {
        return bool("restart_sequence", wait);
    }

    /** Restarts every Supvisors instance. */
    public Boolean restart() throws SupervisorXmlRpcException {
        return bool("restart");
    }

    /** Shuts every Supvisors instance down. */
    public Boolean shutdown() throws SupervisorXmlRpcException {
        return bool("shutdown");
    }

    /**
     * Ends the synchronization phase (synchro_options with USER), the Master elected as usual.
     *
     * @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, NOT_APPLICABLE.
     */
    public Boolean endSynchronization() throws SupervisorXmlRpcException {
        return bool("end_sync");
    }

    /**
     * Ends the synchronization phase with the given Master.
     *
     * @throws SupervisorXmlRpcException BAD_SUPVISORS_STATE, NOT_APPLICABLE, BAD_NAME, INCORRECT_PARAMETERS,
     *     NOT_RUNNING.
     */
    public Boolean endSynchronization(final String master) throws SupervisorXmlRpcException {
        return bool("end_sync", master);
    }

    /** Changes the log level of Supvisors (and of Supervisor when logfile is AUTO). */
    public Boolean changeLogLevel(final LoggerLevels level) throws SupervisorXmlRpcException {
        return bool("change_log_level", Integer.valueOf(level.getLevelCode()));
    }

    /** @throws SupervisorXmlRpcException NOT_INSTALLED. */
    public Boolean enableHostStatistics(final Boolean enabled) throws SupervisorXmlRpcException {
        return bool("enable_host_statistics", enabled);
    }

    /** @throws SupervisorXmlRpcException NOT_INSTALLED. */
    public Boolean enableProcessStatistics(final Boolean enabled) throws SupervisorXmlRpcException {
        return bool("enable_process_statistics", enabled);
    }

    /** @param period the new collecting period (s). */
    public Boolean updateCollectingPeriod(final Double period) throws SupervisorXmlRpcException {
        return bool("update_collecting_period", period);
    }
}
