package org.supvisors.common;

/** The strategies that solve a conflict (a process running on several instances), spec 4.1. */
public enum ConciliationStrategy {
    SENICIDE(0),
    INFANTICIDE(1),
    USER(2),
    STOP(3),
    RESTART(4),
    RUNNING_FAILURE(5);

    /** The value the daemon gives it (its order). */
    private final int strategyCode;

    private ConciliationStrategy(final int strategyCode) {
        this.strategyCode = strategyCode;
    }
}
