package org.supvisors.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** The statistics of one process over one period (the "pstats" header, spec §7.3). */
public class SupvisorsProcessStatistics {

    private String namespec;
    private String identifier;
    private Integer pid;
    private Double now_monotonic;
    private Float target_period;
    private List<Float> period;
    private Float cpu;
    private Float mem;

    /** From the body of the event. */
    public SupvisorsProcessStatistics(HashMap statsInfo) {
        this.namespec = (String) statsInfo.get("namespec");
        this.identifier = (String) statsInfo.get("identifier");
        final Object pid = statsInfo.get("pid");
        this.pid = pid instanceof Number ? Integer.valueOf(((Number) pid).intValue()) : null;
        final Object now = statsInfo.get("now_monotonic");
        this.now_monotonic = now instanceof Number ? Double.valueOf(((Number) now).doubleValue()) : null;
        this.target_period = toFloat(statsInfo.get("target_period"));
        this.period = toFloatList(statsInfo.get("period"));
        this.cpu = toFloat(statsInfo.get("cpu"));
        this.mem = toFloat(statsInfo.get("mem"));
    }

    static Float toFloat(final Object value) {
        return value instanceof Number ? Float.valueOf(((Number) value).floatValue()) : null;
    }

    /** An array (Object[] or List) of numbers as a list of floats; null when it is not one. */
    static List<Float> toFloatList(final Object value) {
        final Object[] items;
        if (value instanceof Object[]) {
            items = (Object[]) value;
        } else if (value instanceof List) {
            items = ((List) value).toArray();
        } else {
            return null;
        }
        final List<Float> list = new ArrayList<Float>(items.length);
        for (Object item : items) {
            list.add(toFloat(item));
        }
        return list;
    }

    private static Float item(final List<Float> list, final int index) {
        return list != null && list.size() > index ? list.get(index) : null;
    }

    public String getNamespec() {
        return namespec;
    }

    /** The instance where the process runs. */
    public String getIdentifier() {
        return identifier;
    }

    /** The process id measured (Supvisors 0.19). */
    public Integer getPID() {
        return pid;
    }

    public Double getNowMonotonic() {
        return now_monotonic;
    }

    /** The configured period (s). */
    public Float getTargetPeriod() {
        return target_period;
    }

    /** The start of the integration window (s since the first sample). */
    public Float getStartPeriod() {
        return item(period, 0);
    }

    /** The end of the integration window (s since the first sample). */
    public Float getEndPeriod() {
        return item(period, 1);
    }

    /** The CPU use, IRIX mode (100 = one full core). */
    public Float getCPU() {
        return cpu;
    }

    /** The memory use, percent of the physical memory (the process and all its descendants). */
    public Float getMemory() {
        return mem;
    }

    public String toString() {
        return "SupvisorsProcessStatistics(namespec=" + namespec
            + " identifier=" + identifier
            + " pid=" + pid
            + " nowMonotonic=" + now_monotonic
            + " targetPeriod=" + target_period
            + " startPeriod=" + getStartPeriod()
            + " endPeriod=" + getEndPeriod()
            + " cpu=" + cpu
            + " memory=" + mem + ")";
    }
}
