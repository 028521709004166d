package org.supvisors.common;

import java.util.List;

/** The result of supervisor.reloadConfig: [[added, changed, removed]], group names in each list. */
public class SupervisorConfigUpdates {

    private final List added;
    private final List changed;
    private final List removed;

    /** @param objectsArray the raw result, whose single item holds the three lists. */
    public SupervisorConfigUpdates(final Object[] objectsArray) {
        final Object[] lists = (Object[]) objectsArray[0];
        this.added = DataConversion.arrayToStringList((Object[]) lists[0]);
        this.changed = DataConversion.arrayToStringList((Object[]) lists[1]);
        this.removed = DataConversion.arrayToStringList((Object[]) lists[2]);
    }

    /** @return the groups new in the configuration. */
    public List getAdded() {
        return this.added;
    }

    /** @return the groups whose configuration changed. */
    public List getChanged() {
        return this.changed;
    }

    /** @return the groups gone from the configuration. */
    public List getRemoved() {
        return this.removed;
    }

    @Override
    public String toString() {
        return "SupervisorConfigUpdates(added=" + this.added + " changed=" + this.changed
            + " removed=" + this.removed + ")";
    }
}
