package org.supvisors.common;

import java.util.HashMap;

/** A Supvisors instance as the answering instance sees it (spec 5.2 InstanceInfo, the "instance" event). */
public class SupvisorsInstanceInfo implements SupvisorsAnyInfo {

    private String identifier;
    private String nick_identifier;
    private String node_name;
    private Integer port;
    private SupvisorsInstanceState statename;
    private Integer remote_sequence_counter;
    private Double remote_mtime;
    private Integer remote_time;
    private Integer local_sequence_counter;
    private Double local_mtime;
    private Integer local_time;
    private Integer loading;
    private Boolean process_failure;

    public SupvisorsInstanceInfo(HashMap instanceInfo) {
        this.identifier = Values.text(instanceInfo, "identifier");
        this.nick_identifier = Values.text(instanceInfo, "nick_identifier");
        this.node_name = Values.text(instanceInfo, "node_name");
        this.port = Values.integer(instanceInfo, "port");
        this.statename = Values.constant(SupvisorsInstanceState.class, instanceInfo, "statename");
        if (this.statename == null) {
            this.statename = Values.constant(SupvisorsInstanceState.class, instanceInfo, "statecode");
        }
        this.remote_sequence_counter = Values.integer(instanceInfo, "remote_sequence_counter");
        this.remote_mtime = Values.real(instanceInfo, "remote_mtime");
        this.remote_time = Values.integer(instanceInfo, "remote_time");
        this.local_sequence_counter = Values.integer(instanceInfo, "local_sequence_counter");
        this.local_mtime = Values.real(instanceInfo, "local_mtime");
        this.local_time = Values.integer(instanceInfo, "local_time");
        this.loading = Values.integer(instanceInfo, "loading");
        this.process_failure = Values.bool(instanceInfo, "process_failure");
    }

    /** @return the identifier of the instance. */
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

    /** @return the host of the instance (its configured host_id). */
    public String getNodeName() {
        return this.node_name;
    }

    /** @return its HTTP port. */
    public Integer getPort() {
        return this.port;
    }

    public SupvisorsInstanceState getState() {
        return this.statename;
    }

    /** @return the counter of the last TICK received from it. */
    public Integer getRemoteSequenceCounter() {
        return this.remote_sequence_counter;
    }

    /** @return its monotonic time in that TICK (s). */
    public Double getRemoteMonotonicTime() {
        return this.remote_mtime;
    }

    /** @return its wall time in that TICK (s). */
    public Integer getRemoteTime() {
        return this.remote_time;
    }

    /** @return the local TICK counter when that TICK was received. */
    public Integer getLocalSequenceCounter() {
        return this.local_sequence_counter;
    }

    /** @return the local monotonic time when that TICK was received (s). */
    public Double getLocalMonotonicTime() {
        return this.local_mtime;
    }

    /** @return the local wall time when that TICK was received (s). */
    public Integer getLocalTime() {
        return this.local_time;
    }

    /** @return the sum of the expected loadings of the processes running there. */
    public Integer getLoading() {
        return this.loading;
    }

    /** @return whether one of its processes crashed. */
    public Boolean hasProcessFailure() {
        return this.process_failure;
    }

    public String toString() {
        return "SupvisorsInstanceInfo(identifier=" + this.identifier
            + " nickIdentifier=" + this.nick_identifier
            + " nodeName=" + this.node_name
            + " port=" + this.port
            + " state=" + this.statename
            + " remoteSequenceCounter=" + this.remote_sequence_counter
            + " remoteMonotonicTime=" + this.remote_mtime
            + " remoteTime=" + this.remote_time
            + " localSequenceCounter=" + this.local_sequence_counter
            + " localMonotonicTime=" + this.local_mtime
            + " localTime=" + this.local_time
            + " loading=" + this.loading
            + " processFailure=" + this.process_failure + ")";
    }
}
