package org.supvisors.common;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The statistics of the host of one instance over one period (the "hstats" header, spec §7.3). */
public class SupvisorsHostStatistics {

    /** A pair of rates of one interface or device: received / read, sent / written. */
    public class IOBytes {
        private float recvBytes;
        private float sentBytes;

        public IOBytes(float recvBytes, float sentBytes) {
            this.recvBytes = recvBytes;
            this.sentBytes = sentBytes;
        }

        public float getRecvBytes() {
            return recvBytes;
        }

        public float getSentBytes() {
            return sentBytes;
        }

        public String toString() {
            return "IOBytes(recv=" + recvBytes + " sent=" + sentBytes + ")";
        }
    }

    private String identifier;
    private Double now_monotonic;
    private Float target_period;
    private List<Float> period;
    private List<Float> cpu;
    private Float mem;
    private HashMap<String, List<Float>> net_io;
    private HashMap<String, List<Float>> disk_io;
    private HashMap<String, Float> disk_usage;

    /** From the body of the event. */
    public SupvisorsHostStatistics(HashMap statsInfo) {
        this.identifier = (String) statsInfo.get("identifier");
        final Object now = statsInfo.get("now_monotonic");
        this.now_monotonic = now instanceof Number ? Double.valueOf(((Number) now).doubleValue()) : null;
        this.target_period = SupvisorsProcessStatistics.toFloat(statsInfo.get("target_period"));
        this.period = SupvisorsProcessStatistics.toFloatList(statsInfo.get("period"));
        this.cpu = SupvisorsProcessStatistics.toFloatList(statsInfo.get("cpu"));
        this.mem = SupvisorsProcessStatistics.toFloat(statsInfo.get("mem"));
        this.net_io = toListMap(statsInfo.get("net_io"));
        this.disk_io = toListMap(statsInfo.get("disk_io"));
        this.disk_usage = new HashMap<String, Float>();
        if (statsInfo.get("disk_usage") instanceof Map) {
            for (Object entry : ((Map) statsInfo.get("disk_usage")).entrySet()) {
                final Map.Entry e = (Map.Entry) entry;
                disk_usage.put(String.valueOf(e.getKey()), SupvisorsProcessStatistics.toFloat(e.getValue()));
            }
        }
    }

    private static HashMap<String, List<Float>> toListMap(final Object value) {
        final HashMap<String, List<Float>> map = new HashMap<String, List<Float>>();
        if (value instanceof Map) {
            for (Object entry : ((Map) value).entrySet()) {
                final Map.Entry e = (Map.Entry) entry;
                map.put(String.valueOf(e.getKey()), SupvisorsProcessStatistics.toFloatList(e.getValue()));
            }
        }
        return map;
    }

    private static Float item(final List<Float> list, final int index) {
        return list != null && list.size() > index ? list.get(index) : null;
    }

    /** The instance measured. */
    public String getIdentifier() {
        return identifier;
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

    /** The CPU use averaged over all the cores (percent). */
    public Float getAverageCPU() {
        return item(cpu, 0);
    }

    /** The CPU use of each logical core (percent, 0 to 100 each). */
    public List<Float> getDetailedCPU() {
        return cpu == null || cpu.isEmpty() ? cpu : cpu.subList(1, cpu.size());
    }

    /** The used memory (percent). */
    public Float getMemory() {
        return mem;
    }

    /** Per network interface: [received, sent] (kilobits per second). */
    public HashMap<String, List<Float>> getNetworkIO() {
        return net_io;
    }

    /** Per disk device: [read, written] (kilobits per second). */
    public HashMap<String, List<Float>> getDiskIO() {
        return disk_io;
    }

    /** Per mount point: the used space (percent). */
    public HashMap<String, Float> getDiskUsage() {
        return disk_usage;
    }

    public String toString() {
        return "SupvisorsHostStatistics(identifier=" + identifier
            + " nowMonotonic=" + now_monotonic
            + " targetPeriod=" + target_period
            + " startPeriod=" + getStartPeriod()
            + " endPeriod=" + getEndPeriod()
            + " cpu=" + cpu
            + " memory=" + mem
            + " networkIO=" + net_io
            + " diskIO=" + disk_io
            + " diskUsage=" + disk_usage + ")";
    }
}
