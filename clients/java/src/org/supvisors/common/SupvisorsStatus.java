package org.supvisors.common;

import java.util.HashMap;
import java.util.List;

/**
 * The global state and modes of Supvisors (get_supvisors_state, the "supvisors" event): the jobs
 * are the identifiers of the instances that have starting / stopping jobs.
 */
public class SupvisorsStatus extends SupvisorsCommonStateModes {

    private List<String> starting_jobs;
    private List<String> stopping_jobs;

    public SupvisorsStatus(HashMap info) {
        super(info);
        this.starting_jobs = Values.strings(info, "starting_jobs");
        this.stopping_jobs = Values.strings(info, "stopping_jobs");
    }

    public List<String> getStartingJobs() {
        return this.starting_jobs;
    }

    public List<String> getStoppingJobs() {
        return this.stopping_jobs;
    }

    public String toString() {
        return "SupvisorsStatus(" + this.fieldsToString()
            + " startingJobs=" + this.starting_jobs
            + " stoppingJobs=" + this.stopping_jobs + ")";
    }
}
