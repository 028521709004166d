package org.supvisors.common;

import java.util.HashMap;
import java.util.List;

/** The predicted outcome of the start of a process (test_start_application, test_start_process). */
public class SupvisorsDistributionInfo implements SupvisorsAnyInfo {

    private String application_name;
    private String process_name;
    private ProcessState state;
    private String forced_reason;
    private List<String> running_identifiers;

    public SupvisorsDistributionInfo(HashMap processInfo) {
        this.application_name = Values.text(processInfo, "application_name");
        this.process_name = Values.text(processInfo, "process_name");
        this.state = Values.processState(processInfo, "state", "state");
        this.forced_reason = Values.text(processInfo, "forced_reason");
        this.running_identifiers = Values.strings(processInfo, "running_identifiers");
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

    /** @return the predicted state. */
    public ProcessState getState() {
        return this.state;
    }

    /** @return why it would not start ('' when it would). */
    public String getForcedReason() {
        return this.forced_reason;
    }

    /** @return the identifiers of the instances where it would run. */
    public List getRunningIdentifiers() {
        return this.running_identifiers;
    }

    public String toString() {
        return "SupvisorsDistributionInfo(namespec=" + this.getName()
            + " applicationName=" + this.application_name
            + " processName=" + this.process_name
            + " state=" + this.state
            + " forcedReason=" + this.forced_reason
            + " runningIdentifiers=" + this.running_identifiers + ")";
    }
}
