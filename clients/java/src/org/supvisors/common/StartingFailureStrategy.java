package org.supvisors.common;

/** What Supvisors does when a process fails to start within an application start, spec 4.1. */
public enum StartingFailureStrategy {
    ABORT(0),
    STOP(1),
    CONTINUE(2);

    /** The value the daemon gives it (its order). */
    private final int strategyCode;

    private StartingFailureStrategy(final int strategyCode) {
        this.strategyCode = strategyCode;
    }
}
