package org.supvisors.common;

import java.util.HashMap;

/**
 * The states of a supervisord process, with supervisord's codes (supervisor.states.ProcessStates).
 * DELETED is Supvisors' own: a process removed from supervisord (e.g. when numprocs decreases).
 */
public enum ProcessState {
    STOPPED(0),
    STARTING(10),
    RUNNING(20),
    BACKOFF(30),
    STOPPING(40),
    EXITED(100),
    FATAL(200),
    UNKNOWN(1000),
    DELETED(-1);

    /** The state by code, since XML-RPC and the event payloads carry the code. */
    private static final HashMap<Integer, ProcessState> BY_CODE = new HashMap<>();

    static {
        for (final ProcessState state : values()) {
            BY_CODE.put(state.stateCode, state);
        }
    }

    private final int stateCode;

    ProcessState(final int stateCode) {
        this.stateCode = stateCode;
    }

    /** @return the state of the code, or null for a code supervisord does not define. */
    public static ProcessState valueOf(final int stateCode) {
        return BY_CODE.get(stateCode);
    }

    /** @return supervisord's code of the state. */
    public int getStateCode() {
        return stateCode;
    }
}
