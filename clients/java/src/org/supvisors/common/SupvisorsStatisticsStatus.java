package org.supvisors.common;

import java.util.HashMap;

/** Whether the answering instance collects statistics, and how often (get_statistics_status). */
public class SupvisorsStatisticsStatus {

    private Boolean hostStatistics;
    private Boolean processStatistics;
    private Double collectingPeriod;

    public SupvisorsStatisticsStatus(HashMap info) {
        this.hostStatistics = Values.bool(info, "host_stats");
        this.processStatistics = Values.bool(info, "process_stats");
        this.collectingPeriod = Values.real(info, "collecting_period");
    }

    public Boolean areHostStatisticsCollected() {
        return this.hostStatistics;
    }

    public Boolean areProcessStatisticsCollected() {
        return this.processStatistics;
    }

    /** @return the collecting period (s). */
    public Double getStatisticsCollectingPeriod() {
        return this.collectingPeriod;
    }

    public String toString() {
        return "SupvisorsStatisticsStatus(hostStatistics=" + this.hostStatistics
            + " processStatistics=" + this.processStatistics
            + " collectingPeriod=" + this.collectingPeriod + ")";
    }
}
