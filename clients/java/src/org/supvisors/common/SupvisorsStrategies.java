package org.supvisors.common;

import java.util.HashMap;

/** The default strategies of Supvisors (get_strategies). */
public class SupvisorsStrategies {

    private Boolean autoFencing;
    private StartingStrategy startingStrategy;
    private ConciliationStrategy conciliationStrategy;
    private SupvisorsFailureStrategies supvisorsFailureStrategy;

    public SupvisorsStrategies(HashMap info) {
        this.autoFencing = Values.bool(info, "auto-fencing");
        this.startingStrategy = Values.constant(StartingStrategy.class, info, "starting");
        this.conciliationStrategy = Values.constant(ConciliationStrategy.class, info, "conciliation");
        this.supvisorsFailureStrategy = Values.constant(SupvisorsFailureStrategies.class, info, "supvisors_failure");
    }

    public Boolean isAutoFencing() {
        return this.autoFencing;
    }

    public StartingStrategy getStartingStrategy() {
        return this.startingStrategy;
    }

    public ConciliationStrategy getConciliationStrategy() {
        return this.conciliationStrategy;
    }

    public SupvisorsFailureStrategies getSupvisorsFailureStrategy() {
        return this.supvisorsFailureStrategy;
    }

    public String toString() {
        return "SupvisorsStrategies(autoFencing=" + this.autoFencing
            + " startingStrategy=" + this.startingStrategy
            + " conciliationStrategy=" + this.conciliationStrategy
            + " supvisorsFailureStrategy=" + this.supvisorsFailureStrategy + ")";
    }
}
