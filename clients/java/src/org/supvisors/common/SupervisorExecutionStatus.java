package org.supvisors.common;

import java.util.HashMap;

/**
 * One item of the results of the group and "all" calls (start/stop/signal/clear...): the process,
 * the outcome as a fault code (SUCCESS when it worked) and its description.
 */
public class SupervisorExecutionStatus implements SupvisorsAnyInfo {

    private final String namespec;
    private final String processName;
    private final String groupName;
    private final String description;
    private final SupervisorFaults status;

    public SupervisorExecutionStatus(final HashMap addressInfo) {
        this.processName = Values.text(addressInfo, "name");
        this.groupName = Values.text(addressInfo, "group");
        this.namespec = DataConversion.stringsToNamespec(this.groupName, this.processName);
        this.description = Values.text(addressInfo, "description");
        final Integer code = Values.integer(addressInfo, "status");
        this.status = code == null ? null : SupervisorFaults.getFault(code);
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

    public String getDescription() {
        return this.description;
    }

    /** @return the outcome: SUCCESS, or the fault that prevented it. */
    public SupervisorFaults getStatus() {
        return this.status;
    }

    @Override
    public String toString() {
        return "SupervisorExecutionStatus(namespec=" + this.namespec + " processName=" + this.processName
            + " groupName=" + this.groupName + " description='" + this.description + "'"
            + " status=" + this.status + ")";
    }
}
