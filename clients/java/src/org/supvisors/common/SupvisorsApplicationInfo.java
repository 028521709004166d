package org.supvisors.common;

import java.util.HashMap;

/** The synthetic state of an application (spec 5.2 ApplicationInfo, the "application" event). */
public class SupvisorsApplicationInfo implements SupvisorsAnyInfo {

    /** The application states (DELETED only announces an application that disappeared). */
    public enum State {
        STOPPED(0),
        STARTING(1),
        RUNNING(2),
        STOPPING(3),
        DELETED(4);

        private final int value;

        public int getValue() {
            return value;
        }

        private State(int value) {
            this.value = value;
        }
    }

    private String application_name;
    private State statename;
    private Boolean managed;
    private Double now_monotonic;
    private Boolean major_failure;
    private Boolean minor_failure;

    public SupvisorsApplicationInfo(HashMap applicationInfo) {
        this.application_name = Values.text(applicationInfo, "application_name");
        this.statename = Values.constant(State.class, applicationInfo, "statename");
        if (this.statename == null) {
            this.statename = Values.constant(State.class, applicationInfo, "statecode");
        }
        this.managed = Values.bool(applicationInfo, "managed");
        this.now_monotonic = Values.real(applicationInfo, "now_monotonic");
        this.major_failure = Values.bool(applicationInfo, "major_failure");
        this.minor_failure = Values.bool(applicationInfo, "minor_failure");
    }

    /** @return the application name. */
    public String getName() {
        return this.getApplicationName();
    }

    public String getApplicationName() {
        return this.application_name;
    }

    public State getState() {
        return this.statename;
    }

    /** @return whether the rules files manage it. */
    public Boolean isManaged() {
        return this.managed;
    }

    public Double getNowMonotonic() {
        return this.now_monotonic;
    }

    public Boolean hasMajorFailure() {
        return this.major_failure;
    }

    public Boolean hasMinorFailure() {
        return this.minor_failure;
    }

    public String toString() {
        return "SupvisorsApplicationInfo(name=" + this.application_name
            + " state=" + this.statename
            + " managed=" + this.managed
            + " nowMonotonic=" + this.now_monotonic
            + " majorFailure=" + this.major_failure
            + " minorFailure=" + this.minor_failure + ")";
    }
}
