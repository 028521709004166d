package org.supvisors.common;

import java.util.HashMap;
import java.util.List;

/** The rules of a process (get_process_rules). */
public class SupvisorsProcessRules implements SupvisorsAnyInfo {

    private String namespec;
    private String applicationName;
    private String processName;
    private List identifiers;
    private Integer startSequence;
    private Integer stopSequence;
    private Boolean required;
    private Boolean waitExit;
    private Integer expectedLoading;
    private StartingFailureStrategy startingFailureStrategy;
    private RunningFailureStrategy runningFailureStrategy;

    public SupvisorsProcessRules(HashMap rulesInfo) {
        this.applicationName = Values.text(rulesInfo, "application_name");
        this.processName = Values.text(rulesInfo, "process_name");
        this.namespec = Values.namespec(this.applicationName, this.processName);
        this.identifiers = Values.strings(rulesInfo, "identifiers");
        this.startSequence = Values.integer(rulesInfo, "start_sequence");
        this.stopSequence = Values.integer(rulesInfo, "stop_sequence");
        this.required = Values.bool(rulesInfo, "required");
        this.waitExit = Values.bool(rulesInfo, "wait_exit");
        this.expectedLoading = Values.integer(rulesInfo, "expected_loading");
        this.startingFailureStrategy = Values.constant(StartingFailureStrategy.class, rulesInfo, "starting_failure_strategy");
        this.runningFailureStrategy = Values.constant(RunningFailureStrategy.class, rulesInfo, "running_failure_strategy");
    }

    public String getApplicationName() {
        return this.applicationName;
    }

    public String getProcessName() {
        return this.processName;
    }

    /** @return the namespec of the process. */
    public String getName() {
        return this.namespec;
    }

    /** @return the identifiers (or patterns) of the instances where it may run (a List of String). */
    public List getIdentifiers() {
        return this.identifiers;
    }

    public Integer getStartSequence() {
        return this.startSequence;
    }

    public Integer getStopSequence() {
        return this.stopSequence;
    }

    public Boolean isRequired() {
        return this.required;
    }

    public Boolean hasToWaitExit() {
        return this.waitExit;
    }

    public Integer getExpectedLoading() {
        return this.expectedLoading;
    }

    public StartingFailureStrategy getStartingFailureStrategy() {
        return this.startingFailureStrategy;
    }

    public RunningFailureStrategy getRunningFailureStrategy() {
        return this.runningFailureStrategy;
    }

    public String toString() {
        return "SupvisorsProcessRules(namespec=" + this.namespec
            + " applicationName=" + this.applicationName
            + " processName=" + this.processName
            + " identifiers=" + this.identifiers
            + " startSequence=" + this.startSequence
            + " stopSequence=" + this.stopSequence
            + " required=" + this.required
            + " waitExit=" + this.waitExit
            + " expectedLoading=" + this.expectedLoading
            + " startingFailureStrategy=" + this.startingFailureStrategy
            + " runningFailureStrategy=" + this.runningFailureStrategy + ")";
    }
}
