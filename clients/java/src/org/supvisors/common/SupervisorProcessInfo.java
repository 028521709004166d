package org.supvisors.common;

import java.util.HashMap;

/** The result of supervisor.getProcessInfo, and one item of getAllProcessInfo. */
public class SupervisorProcessInfo implements SupvisorsAnyInfo {

    private final String namespec;
    private final String processName;
    private final String groupName;
    private final String description;
    private final Integer startTime;
    private final Integer stopTime;
    private final Integer currentTime;
    private final ProcessState state;
    private final String spawnError;
    private final Integer exitStatus;
    private final String logFile;
    private final String stdoutLogFile;
    private final String stderrLogFile;
    private final Integer pid;

    public SupervisorProcessInfo(final HashMap addressInfo) {
        this.processName = Values.text(addressInfo, "name");
        this.groupName = Values.text(addressInfo, "group");
        this.namespec = DataConversion.stringsToNamespec(this.groupName, this.processName);
        this.description = Values.text(addressInfo, "description");
        this.startTime = Values.integer(addressInfo, "start");
        this.stopTime = Values.integer(addressInfo, "stop");
        this.currentTime = Values.integer(addressInfo, "now");
        this.state = stateOf(addressInfo);
        this.spawnError = Values.text(addressInfo, "spawnerr");
        this.exitStatus = Values.integer(addressInfo, "exitstatus");
        this.logFile = Values.text(addressInfo, "logfile");
        this.stdoutLogFile = Values.text(addressInfo, "stdout_logfile");
        this.stderrLogFile = Values.text(addressInfo, "stderr_logfile");
        this.pid = Values.integer(addressInfo, "pid");
    }

    /** The state by its name (as 0.19 reads it), else by its code. */
    private static ProcessState stateOf(final HashMap addressInfo) {
        final String name = Values.text(addressInfo, "statename");
        for (final ProcessState candidate : ProcessState.values()) {
            if (candidate.name().equals(name)) {
                return candidate;
            }
        }
        final Integer code = Values.integer(addressInfo, "state");
        return code == null ? null : ProcessState.valueOf(code);
    }

    /** @return the namespec, the key of this item in the result map. */
    @Override
    public String getName() {
        return this.namespec;
    }

    public String getProcessName() {
        return this.processName;
    }

    public String getGroupName() {
        return this.groupName;
    }

    /** @return supervisorctl's description, e.g. "pid 42, uptime 0:01:02". */
    public String getDescription() {
        return this.description;
    }

    /** @return the POSIX time of the last start, 0 if never started. */
    public Integer getStartTime() {
        return this.startTime;
    }

    /** @return the POSIX time of the last stop, 0 if never stopped. */
    public Integer getStopTime() {
        return this.stopTime;
    }

    /** @return the server's POSIX time when it answered. */
    public Integer getCurrentTime() {
        return this.currentTime;
    }

    public ProcessState getState() {
        return this.state;
    }

    public String getSpawnError() {
        return this.spawnError;
    }

    public Integer getExitStatus() {
        return this.exitStatus;
    }

    /** @return the stdout log file (supervisor's deprecated alias of stdout_logfile). */
    public String getLogFile() {
        return this.logFile;
    }

    public String getStdoutLogFile() {
        return this.stdoutLogFile;
    }

    public String getStderrLogFile() {
        return this.stderrLogFile;
    }

    /** @return the process id, 0 when not running. */
    public Integer getPID() {
        return this.pid;
    }

    @Override
    public String toString() {
        return "SupervisorProcessInfo(namespec=" + this.namespec + " processName=" + this.processName
            + " groupName=" + this.groupName + " description='" + this.description + "'"
            + " startTime=" + this.startTime + " stopTime=" + this.stopTime
            + " currentTime=" + this.currentTime + " state=" + this.state
            + " spawnError='" + this.spawnError + "'" + " exitStatus=" + this.exitStatus
            + " logFile=" + this.logFile + " stdoutLogFile=" + this.stdoutLogFile
            + " stderrLogFile=" + this.stderrLogFile + " pid=" + this.pid + ")";
    }
}
