package org.supvisors.common;

import java.util.HashMap;

/**
 * The state and modes one instance last published (get_all_instances_state_modes,
 * get_instance_state_modes): the jobs say whether that instance has starting / stopping jobs.
 */
public class SupvisorsStateModes extends SupvisorsCommonStateModes {

    private Boolean starting_jobs;
    private Boolean stopping_jobs;

    public SupvisorsStateModes(HashMap info) {
        super(info);
        this.starting_jobs = Values.bool(info, "starting_jobs");
        this.stopping_jobs = Values.bool(info, "stopping_jobs");
    }

    public Boolean hasStartingJobs() {
        return this.starting_jobs;
    }

    public Boolean hasStoppingJobs() {
        return this.stopping_jobs;
    }

    public String toString() {
        return "SupvisorsStateModes(" + this.fieldsToString()
            + " startingJobs=" + this.starting_jobs
            + " stoppingJobs=" + this.stopping_jobs + ")";
    }
}
