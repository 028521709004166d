package org.supvisors.common;

import java.util.HashMap;

/** A process as the local Supervisor of the answering instance has it (spec 5.2 LocalProcessInfo). */
public class SupvisorsLocalProcessInfo implements SupvisorsAnyInfo {

    private String group;
    private String name;
    private ProcessState state;
    private Boolean expected;
    private Integer start;
    private Double start_monotonic;
    private Integer stop;
    private Double stop_monotonic;
    private Integer now;
    private Double now_monotonic;
    private Integer pid;
    private String description;
    private String spawnerr;
    private Integer startsecs;
    private Integer stopwaitsecs;
    private String extra_args;
    private String program_name;
    private Integer process_index;
    private Boolean disabled;
    private Boolean has_stdout;
    private Boolean has_stderr;

    public SupvisorsLocalProcessInfo(HashMap processInfo) {
        this.group = Values.text(processInfo, "group");
        this.name = Values.text(processInfo, "name");
        this.state = Values.processState(processInfo, null, "state");
        this.expected = Values.bool(processInfo, "expected");
        this.start = Values.integer(processInfo, "start");
        this.start_monotonic = Values.real(processInfo, "start_monotonic");
        this.stop = Values.integer(processInfo, "stop");
        this.stop_monotonic = Values.real(processInfo, "stop_monotonic");
        this.now = Values.integer(processInfo, "now");
        this.now_monotonic = Values.real(processInfo, "now_monotonic");
        this.pid = Values.integer(processInfo, "pid");
        this.description = Values.text(processInfo, "description");
        this.spawnerr = Values.text(processInfo, "spawnerr");
        this.startsecs = Values.integer(processInfo, "startsecs");
        this.stopwaitsecs = Values.integer(processInfo, "stopwaitsecs");
        this.extra_args = Values.text(processInfo, "extra_args");
        this.program_name = Values.text(processInfo, "program_name");
        this.process_index = Values.integer(processInfo, "process_index");
        this.disabled = Values.bool(processInfo, "disabled");
        this.has_stdout = Values.bool(processInfo, "has_stdout");
        this.has_stderr = Values.bool(processInfo, "has_stderr");
    }

    /** @return the group (application) name. */
    public String getGroup() {
        return this.group;
    }

    public String getProcessName() {
        return this.name;
    }

    /** @return the namespec of the process. */
    public String getName() {
        return Values.namespec(this.group, this.name);
    }

    public ProcessState getState() {
        return this.state;
    }

    /** @return whether its last exit was expected. */
    public Boolean isExpected() {
        return this.expected;
    }

    /** @return the wall time of its last start (s). */
    public Integer getStart() {
        return this.start;
    }

    public Double getStartMonotonic() {
        return this.start_monotonic;
    }

    /** @return the wall time of its last stop (s). */
    public Integer getStop() {
        return this.stop;
    }

    public Double getStopMonotonic() {
        return this.stop_monotonic;
    }

    /** @return the wall time of the answer (s). */
    public Integer getNow() {
        return this.now;
    }

    public Double getNowMonotonic() {
        return this.now_monotonic;
    }

    public Integer getPID() {
        return this.pid;
    }

    public String getDescription() {
        return this.description;
    }

    public String getSpawnError() {
        return this.spawnerr;
    }

    public Integer getStartSeconds() {
        return this.startsecs;
    }

    public Integer getStopWaitSeconds() {
        return this.stopwaitsecs;
    }

    public String getExtraArgs() {
        return this.extra_args;
    }

    /** @return the name of the program section it comes from. */
    public String getProgramName() {
        return this.program_name;
    }

    /** @return its index among the processes of its program. */
    public Integer getProcessIndex() {
        return this.process_index;
    }

    public Boolean isDisabled() {
        return this.disabled;
    }

    public Boolean hasStdout() {
        return this.has_stdout;
    }

    public Boolean hasStderr() {
        return this.has_stderr;
    }

    public String toString() {
        return "SupvisorsLocalProcessInfo(namespec=" + this.getName()
            + " group=" + this.group
            + " name=" + this.name
            + " state=" + this.state
            + " expected=" + this.expected
            + " start=" + this.start
            + " startMonotonic=" + this.start_monotonic
            + " stop=" + this.stop
            + " stopMonotonic=" + this.stop_monotonic
            + " now=" + this.now
            + " nowMonotonic=" + this.now_monotonic
            + " pid=" + this.pid
            + " description=" + this.description
            + " spawnError=" + this.spawnerr
            + " startSeconds=" + this.startsecs
            + " stopWaitSeconds=" + this.stopwaitsecs
            + " extraArgs=" + this.extra_args
            + " programName=" + this.program_name
            + " processIndex=" + this.process_index
            + " disabled=" + this.disabled
            + " hasStdout=" + this.has_stdout
            + " hasStderr=" + this.has_stderr + ")";
    }
}
