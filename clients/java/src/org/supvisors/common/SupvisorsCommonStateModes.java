package org.supvisors.common;

import java.util.HashMap;
import java.util.Map;

/** The state and modes of Supvisors as one instance produced them (spec 5.2 StateModes), without the jobs. */
public class SupvisorsCommonStateModes implements SupvisorsAnyInfo {

    protected String identifier;
    protected String nick_identifier;
    protected Double now_monotonic;
    protected SupvisorsState fsm_statename;
    protected String master_identifier;
    protected Boolean degraded_mode;
    protected Boolean discovery_mode;
    protected HashMap<String, SupvisorsInstanceState> instance_states;

    public SupvisorsCommonStateModes(HashMap info) {
        this.identifier = Values.text(info, "identifier");
        this.nick_identifier = Values.text(info, "nick_identifier");
        this.now_monotonic = Values.real(info, "now_monotonic");
        this.fsm_statename = Values.constant(SupvisorsState.class, info, "fsm_statename");
        if (this.fsm_statename == null) {
            this.fsm_statename = Values.constant(SupvisorsState.class, info, "fsm_statecode");
        }
        this.master_identifier = Values.text(info, "master_identifier");
        this.degraded_mode = Values.bool(info, "degraded_mode");
        this.discovery_mode = Values.bool(info, "discovery_mode");
        final HashMap<?, ?> states = Values.struct(info, "instance_states");
        if (states != null) {
            this.instance_states = new HashMap<String, SupvisorsInstanceState>();
            for (Map.Entry<?, ?> entry : states.entrySet()) {
                this.instance_states.put(String.valueOf(entry.getKey()),
                    Values.constant(SupvisorsInstanceState.class, entry.getValue()));
            }
        }
    }

    /** @return the identifier of the instance that produced it. */
    public String getName() {
        return this.getIdentifier();
    }

    public String getIdentifier() {
        return this.identifier;
    }

    public String getNickIdentifier() {
        return this.nick_identifier;
    }

    public SupvisorsIdentifier getSupvisorsIdentifier() {
        return new SupvisorsIdentifier(this.identifier, this.nick_identifier);
    }

    /** @return the monotonic time of the producer when it was produced (s). */
    public Double getNowMonotonic() {
        return this.now_monotonic;
    }

    public SupvisorsState getState() {
        return this.fsm_statename;
    }

    /** @return the identifier of the Master as the producer knows it, '' when none. */
    public String getMasterIdentifier() {
        return this.master_identifier;
    }

    public Boolean inDegradedMode() {
        return this.degraded_mode;
    }

    public Boolean inDiscoveryMode() {
        return this.discovery_mode;
    }

    /** @return the state of every instance as seen by the producer, by identifier. */
    public HashMap<String, SupvisorsInstanceState> getInstanceStates() {
        return this.instance_states;
    }

    protected String fieldsToString() {
        return "identifier=" + this.identifier
            + " nickIdentifier=" + this.nick_identifier
            + " nowMonotonic=" + this.now_monotonic
            + " state=" + this.fsm_statename
            + " masterIdentifier=" + this.master_identifier
            + " degradedMode=" + this.degraded_mode
            + " discoveryMode=" + this.discovery_mode
            + " instanceStates=" + this.instance_states;
    }

    public String toString() {
        return "SupvisorsCommonStateModes(" + this.fieldsToString() + ")";
    }
}
