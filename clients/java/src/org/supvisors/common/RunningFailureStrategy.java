package org.supvisors.common;

/** What Supvisors does when a running process fails, spec 4.1. */
public enum RunningFailureStrategy {
    CONTINUE(0),
    RESTART_PROCESS(1),
    STOP_APPLICATION(2),
    RESTART_APPLICATION(3),
    SHUTDOWN(4),
    RESTART(5);

    /** The value the daemon gives it (its order). */
    private final int strategyCode;

    private RunningFailureStrategy(final int strategyCode) {
        this.strategyCode = strategyCode;
    }
}
