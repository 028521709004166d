package org.supvisors.common;

import java.util.HashMap;
import java.util.List;

/**
 * The synthetic state of a process over all instances (spec 5.2 ProcessInfo, the "process" event);
 * the state DELETED announces a process removed from the last instance that had it.
 */
public class SupvisorsProcessInfo implements SupvisorsAnyInfo {

    private String application_name;
    private String process_name;
    private Double now_monotonic;
    private Double last_event_mtime;
    private ProcessState statecode;
    private Boolean expected_exit;
    private List<String> identifiers;
    private String extra_args;

    public SupvisorsProcessInfo(HashMap processInfo) {
        this.application_name = Values.text(processInfo, "application_name");
        this.process_name = Values.text(processInfo, "process_name");
        this.now_monotonic = Values.real(processInfo, "now_monotonic");
        this.last_event_mtime = Values.real(processInfo, "last_event_mtime");
        this.statecode = Values.processState(processInfo, "statename", "statecode");
        this.expected_exit = Values.bool(processInfo, "expected_exit");
        this.identifiers = Values.strings(processInfo, "identifiers");
        this.extra_args = Values.text(processInfo, "extra_args");
    }

    public String getApplicationName() {
        return this.application_name;
    }

    public String getProcessName() {
        return this.process_name;
    }

    /** @return the namespec of the process. */
    public String getName() {
        return Values.namespec(this.application_name, this.process_name);
    }

    public Double getNowMonotonic() {
        return this.now_monotonic;
    }

    /** @return the local monotonic time of the last event received for it (s). */
    public Double getLastEventMonotonicTime() {
        return this.last_event_mtime;
    }

    public ProcessState getState() {
        return this.statecode;
    }

    /** @return whether its last exit was expected. */
    public Boolean getExpectedExitStatus() {
        return this.expected_exit;
    }

    /** @return the identifiers of the instances where it runs (more than one: a conflict). */
    public List getIdentifiers() {
        return this.identifiers;
    }

    public String getExtraArgs() {
        return this.extra_args;
    }

    public String toString() {
        return "SupvisorsProcessInfo(namespec=" + this.getName()
            + " applicationName=" + this.application_name
            + " processName=" + this.process_name
            + " nowMonotonic=" + this.now_monotonic
            + " lastEventMonotonicTime=" + this.last_event_mtime
            + " state=" + this.statecode
            + " expectedExit=" + this.expected_exit
            + " identifiers=" + this.identifiers
            + " extraArgs=" + this.extra_args + ")";
    }
}
