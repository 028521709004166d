package org.supvisors.event;

import org.supvisors.common.SupvisorsApplicationInfo;
import org.supvisors.common.SupvisorsHostStatistics;
import org.supvisors.common.SupvisorsInstanceInfo;
import org.supvisors.common.SupvisorsProcessEvent;
import org.supvisors.common.SupvisorsProcessInfo;
import org.supvisors.common.SupvisorsProcessStatistics;
import org.supvisors.common.SupvisorsStatus;

/**
 * The callbacks of a subscriber to the Supvisors event interface, one per header (spec §7.2).
 * Called from the thread running the subscriber, one event at a time, for the headers subscribed to.
 */
public interface SupvisorsEventListener {

    /** A "supvisors" event: the global state and modes of the instance published from. */
    void onSupvisorsStatus(final SupvisorsStatus status);

    /** An "instance" event: the status of one Supvisors instance. */
    void onInstanceStatus(final SupvisorsInstanceInfo status);

    /** An "application" event: the status of one application. */
    void onApplicationStatus(final SupvisorsApplicationInfo status);

    /** A "process" event: the status of one process, synthesized over the instances. */
    void onProcessStatus(final SupvisorsProcessInfo status);

    /** An "event" event: a raw process event from the instance where it happened. */
    void onProcessEvent(final SupvisorsProcessEvent status);

    /** An "hstats" event: the host statistics of one instance over one period. */
    void onHostStatistics(final SupvisorsHostStatistics statistics);

    /** A "pstats" event: the statistics of one process over one period. */
    void onProcessStatistics(final SupvisorsProcessStatistics statistics);
}
