package org.supvisors.common;

import java.util.HashMap;

/**
 * A raw process event, as the instance where the process runs sent it (the "event" header, spec §7.3).
 * A removal from that instance has only name, group and state (DELETED); the other getters are null then.
 */
public class SupvisorsProcessEvent implements SupvisorsAnyInfo {

    private String identifier;
    private String nick_identifier;
    private String group;
    private String name;
    private ProcessState state;
    private Boolean expected;
    private Double now;
    private Double now_monotonic;
    private Double event_mtime;
    private Integer pid;
    private String spawnerr;
    private String extra_args;
    private Boolean disabled;

    /** From the body of the event (or a struct of the same keys). */
    public SupvisorsProcessEvent(HashMap processInfo) {
        this.identifier = (String) processInfo.get("identifier");
        this.nick_identifier = (String) processInfo.get("nick_identifier");
        this.group = (String) processInfo.get("group");
        this.name = (String) processInfo.get("name");
        final Object code = processInfo.get("state");
        this.state = code instanceof Number ? ProcessState.valueOf(((Number) code).intValue()) : null;
        this.expected = (Boolean) processInfo.get("expected");
        this.now = toDouble(processInfo.get("now"));
        this.now_monotonic = toDouble(processInfo.get("now_monotonic"));
        this.event_mtime = toDouble(processInfo.get("event_mtime"));
        final Object pid = processInfo.get("pid");
        this.pid = pid instanceof Number ? Integer.valueOf(((Number) pid).intValue()) : null;
        this.spawnerr = (String) processInfo.get("spawnerr");
        this.extra_args = (String) processInfo.get("extra_args");
        this.disabled = (Boolean) processInfo.get("disabled");
    }

    private static Double toDouble(final Object value) {
        return value instanceof Number ? Double.valueOf(((Number) value).doubleValue()) : null;
    }

    /** The identifier of the instance that sent the event (empty for an event forced by Supvisors). */
    public String getIdentifier() {
        return identifier;
    }

    public String getNickIdentifier() {
        return nick_identifier;
    }

    public SupvisorsIdentifier getSupvisorsIdentifier() {
        return new SupvisorsIdentifier(identifier, nick_identifier);
    }

    /** The application name. */
    public String getGroup() {
        return group;
    }

    public String getProcessName() {
        return name;
    }

    /** The namespec of the process (name alone when group and name are equal). */
    public String getName() {
        return Values.namespec(group, name);
    }

    public ProcessState getState() {
        return state;
    }

    public Boolean isExpected() {
        return expected;
    }

    /** The wall time of the instance that sent the event (s). */
    public Double getNow() {
        return now;
    }

    /** The monotonic time of the instance that sent the event (s). */
    public Double getNowMonotonic() {
        return now_monotonic;
    }

    /** The monotonic time when the instance published from received the event (s). */
    public Double getEventMonotonicTime() {
        return event_mtime;
    }

    public Integer getPID() {
        return pid;
    }

    public String getSpawnError() {
        return spawnerr;
    }

    public String getExtraArgs() {
        return extra_args;
    }

    public Boolean isDisabled() {
        return disabled;
    }

    public String toString() {
        return "SupvisorsProcessEvent(identifier=" + identifier
            + " nickIdentifier=" + nick_identifier
            + " group=" + group
            + " name=" + name
            + " state=" + state
            + " expected=" + expected
            + " now=" + now
            + " nowMonotonic=" + now_monotonic
            + " eventMonotonicTime=" + event_mtime
            + " pid=" + pid
            + " spawnError=" + spawnerr
            + " extraArgs=" + extra_args
            + " disabled=" + disabled + ")";
    }
}
