package org.supvisors.common;

/** What Supvisors does when the synchronization conditions are lost, spec 4.1. */
public enum SupvisorsFailureStrategies {
    CONTINUE(0),
    RESYNC(1),
    SHUTDOWN(2);

    /** The value the daemon gives it (its order). */
    private final int strategyCode;

    private SupvisorsFailureStrategies(final int strategyCode) {
        this.strategyCode = strategyCode;
    }
}
