package org.supvisors.common;

import java.util.HashMap;
import java.util.List;

/** The rules of an application (get_application_rules); only the name and managed for an unmanaged one. */
public class SupvisorsApplicationRules implements SupvisorsAnyInfo {

    private String applicationName;
    private Boolean isManaged;
    private DistributionRule distribution;
    private List identifiers;
    private Integer startSequence;
    private Integer stopSequence;
    private StartingStrategy startingStrategy;
    private StartingFailureStrategy startingFailureStrategy;
    private RunningFailureStrategy runningFailureStrategy;
    private String statusFormula;

    public SupvisorsApplicationRules(HashMap rulesInfo) {
        this.applicationName = Values.text(rulesInfo, "application_name");
        this.isManaged = Values.bool(rulesInfo, "managed");
        if (Boolean.TRUE.equals(this.isManaged)) {
            this.distribution = Values.constant(DistributionRule.class, rulesInfo, "distribution");
            this.identifiers = Values.strings(rulesInfo, "identifiers");
            this.startSequence = Values.integer(rulesInfo, "start_sequence");
            this.stopSequence = Values.integer(rulesInfo, "stop_sequence");
            this.startingStrategy = Values.constant(StartingStrategy.class, rulesInfo, "starting_strategy");
            this.startingFailureStrategy = Values.constant(StartingFailureStrategy.class, rulesInfo, "starting_failure_strategy");
            this.runningFailureStrategy = Values.constant(RunningFailureStrategy.class, rulesInfo, "running_failure_strategy");
            this.statusFormula = Values.text(rulesInfo, "status_formula");
        }
    }

    /** @return the application name. */
    public String getName() {
        return this.getApplicationName();
    }

    public String getApplicationName() {
        return this.applicationName;
    }

    public Boolean isManaged() {
        return this.isManaged;
    }

    /** @return the distribution rule (null when not managed). */
    public DistributionRule getDistribution() {
        return this.distribution;
    }

    /** @return the identifiers (or patterns) of the instances where its processes may run (a List of String). */
    public List getIdentifiers() {
        return this.identifiers;
    }

    public Integer getStartSequence() {
        return this.startSequence;
    }

    public Integer getStopSequence() {
        return this.stopSequence;
    }

    public StartingStrategy getStartingStrategy() {
        return this.startingStrategy;
    }

    public StartingFailureStrategy getStartingFailureStrategy() {
        return this.startingFailureStrategy;
    }

    public RunningFailureStrategy getRunningFailureStrategy() {
        return this.runningFailureStrategy;
    }

    /** @return the operational status formula, '' when none. */
    public String getStatusFormula() {
        return this.statusFormula;
    }

    public String toString() {
        return "SupvisorsApplicationRules(name=" + this.applicationName
            + " managed=" + this.isManaged
            + " distribution=" + this.distribution
            + " identifiers=" + this.identifiers
            + " startSequence=" + this.startSequence
            + " stopSequence=" + this.stopSequence
            + " startingStrategy=" + this.startingStrategy
            + " startingFailureStrategy=" + this.startingFailureStrategy
            + " runningFailureStrategy=" + this.runningFailureStrategy
            + " statusFormula=" + this.statusFormula + ")";
    }
}
