package org.supvisors.common;

import java.util.HashMap;

/** One item of supervisor.getAllConfigInfo: the configuration of a process. */
public class SupervisorConfigInfo implements SupvisorsAnyInfo {

    private final String namespec;
    private final String processName;
    private final String groupName;
    private final Boolean inUse;
    private final Boolean autoStart;
    private final Integer processPriority;
    private final Integer groupPriority;

    public SupervisorConfigInfo(final HashMap configInfo) {
        this.processName = Values.text(configInfo, "name");
        this.groupName = Values.text(configInfo, "group");
        this.namespec = DataConversion.stringsToNamespec(this.groupName, this.processName);
        this.inUse = Values.bool(configInfo, "inuse");
        this.autoStart = Values.bool(configInfo, "autostart");
        this.processPriority = Values.integer(configInfo, "process_prio");
        this.groupPriority = Values.integer(configInfo, "group_prio");
    }

    /** @return the namespec, the key of this item in the result map. */
    @Override
    public String getName() {
        return this.namespec;
    }

    public String getProcessName() {
        return this.processName;
    }

    public String getGroupName() {
        return this.groupName;
    }

    /** @return true when the process is part of the running configuration (its group is added). */
    public Boolean isInUse() {
        return this.inUse;
    }

    public Boolean isAutoStart() {
        return this.autoStart;
    }

    public Integer getProcessPriority() {
        return this.processPriority;
    }

    public Integer getGroupPriority() {
        return this.groupPriority;
    }

    @Override
    public String toString() {
        return "SupervisorConfigInfo(namespec=" + this.namespec + " processName=" + this.processName
            + " groupName=" + this.groupName + " inUse=" + this.inUse + " autoStart=" + this.autoStart
            + " processPriority=" + this.processPriority + " groupPriority=" + this.groupPriority + ")";
    }
}
