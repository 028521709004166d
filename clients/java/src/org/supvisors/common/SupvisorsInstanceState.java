package org.supvisors.common;

/** The states of a Supvisors instance as seen by the instance answering (0.19), spec 4.1. */
public enum SupvisorsInstanceState {
    STOPPED(0),
    CHECKING(1),
    CHECKED(2),
    RUNNING(3),
    FAILED(4),
    ISOLATED(5);

    /** The value the daemon gives it (its order). */
    private final int state;

    private SupvisorsInstanceState(final int state) {
        this.state = state;
    }
}
