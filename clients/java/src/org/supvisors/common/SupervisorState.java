package org.supvisors.common;

import java.util.HashMap;

/** The result of supervisor.getState: the daemon's own state. */
public class SupervisorState {

    /** supervisord's states (supervisor.states.SupervisorStates) with their codes. */
    public enum State {
        FATAL(2),
        RUNNING(1),
        RESTARTING(0),
        SHUTDOWN(-1);

        private final int stateCode;

        State(final int stateCode) {
            this.stateCode = stateCode;
        }

        /** @return supervisord's code of the state. */
        public int getStateCode() {
            return stateCode;
        }
    }

    private final State state;

    /** Reads the {statecode, statename} struct; the name decides, as in 0.19. */
    public SupervisorState(final HashMap stateInfo) {
        final String name = Values.text(stateInfo, "statename");
        State found = null;
        for (final State candidate : State.values()) {
            if (candidate.name().equals(name)) {
                found = candidate;
            }
        }
        this.state = found;
    }

    /** @return the state, null when the server sent a name this class does not know. */
    public State getState() {
        return this.state;
    }

    @Override
    public String toString() {
        return "SupervisorState(state=" + this.state + ")";
    }
}
