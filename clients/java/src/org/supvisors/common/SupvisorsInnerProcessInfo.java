package org.supvisors.common;

import java.util.HashMap;

/**
 * The record the answering instance holds of a process on one instance (spec 5.2 InnerProcessInfo,
 * get_all_inner_process_info / get_inner_process_info, a debug view): the LocalProcessInfo fields
 * as last updated by the events of that instance (so its times are floats), plus the instance it
 * concerns and the reception data.
 */
public class SupvisorsInnerProcessInfo implements SupvisorsAnyInfo {

    private String identifier;
    private String nick_identifier;
    private String group;
    private String name;
    private ProcessState state;
    private Boolean expected;
    private Double start;
    private Double start_monotonic;
    private Double stop;
    private Double stop_monotonic;
    private Double now;
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
    private Double local_mtime;
    private Double event_time;
    private Double uptime;
    private Boolean has_crashed;

    public SupvisorsInnerProcessInfo(HashMap processInfo) {
        this.identifier = Values.text(processInfo, "identifier");
        this.nick_identifier = Values.text(processInfo, "nick_identifier");
        this.group = Values.text(processInfo, "group");
        this.name = Values.text(processInfo, "name");
        this.state = Values.processState(processInfo, "statename", "state");
        this.expected = Values.bool(processInfo, "expected");
        this.start = Values.real(processInfo, "start");
        this.start_monotonic = Values.real(processInfo, "start_monotonic");
        this.stop = Values.real(processInfo, "stop");
        this.stop_monotonic = Values.real(processInfo, "stop_monotonic");
        this.now = Values.real(processInfo, "now");
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
        this.local_mtime = Values.real(processInfo, "local_mtime");
        this.event_time = Values.real(processInfo, "event_time");
        this.uptime = Values.real(processInfo, "uptime");
        this.has_crashed = Values.bool(processInfo, "has_crashed");
    }

    /** @return the namespec of the process (the same on every instance: see getIdentifier). */
    public String getName() {
        return Values.namespec(this.group, this.name);
    }

    /** @return the instance the record is about. */
    public String getIdentifier() {
        return this.identifier;
    }

    /** @return the nick of that instance, when the record has it (else null). */
    public String getNickIdentifier() {
        return this.nick_identifier;
    }

    public String getGroup() {
        return this.group;
    }

    public String getProcessName() {
        return this.name;
    }

    public ProcessState getState() {
        return this.state;
    }

    public Boolean isExpected() {
        return this.expected;
    }

    /** @return the wall time of its last start on that instance (s). */
    public Double getStart() {
        return this.start;
    }

    public Double getStartMonotonic() {
        return this.start_monotonic;
    }

    public Double getStop() {
        return this.stop;
    }

    public Double getStopMonotonic() {
        return this.stop_monotonic;
    }

    /** @return the wall time of that instance at its last update (s). */
    public Double getNow() {
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

    public String getProgramName() {
        return this.program_name;
    }

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

    /** @return the local monotonic time of its last update (s). */
    public Double getLocalMonotonicTime() {
        return this.local_mtime;
    }

    /** @return the monotonic time of the last event that updated it (s). */
    public Double getEventTime() {
        return this.event_time;
    }

    /** @return its uptime on that instance (s). */
    public Double getUptime() {
        return this.uptime;
    }

    /** @return whether it crashed there (FATAL or an unexpected exit). */
    public Boolean hasCrashed() {
        return this.has_crashed;
    }

    public String toString() {
        return "SupvisorsInnerProcessInfo(namespec=" + this.getName()
            + " identifier=" + this.identifier
            + " nickIdentifier=" + this.nick_identifier
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
            + " hasStderr=" + this.has_stderr
            + " localMonotonicTime=" + this.local_mtime
            + " eventTime=" + this.event_time
            + " uptime=" + this.uptime
            + " hasCrashed=" + this.has_crashed + ")";
    }
}
