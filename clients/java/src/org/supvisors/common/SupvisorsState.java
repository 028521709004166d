package org.supvisors.common;

/** The states of the global Supvisors state machine (0.19: OFF to FINAL = 0 to 8), spec 4.1. */
public enum SupvisorsState {
    OFF(0),
    SYNCHRONIZATION(1),
    ELECTION(2),
    DISTRIBUTION(3),
    OPERATION(4),
    CONCILIATION(5),
    RESTARTING(6),
    SHUTTING_DOWN(7),
    FINAL(8);

    /** The value the daemon gives it (its order). */
    private final int stateCode;

    private SupvisorsState(final int stateCode) {
        this.stateCode = stateCode;
    }
}
