package org.supvisors.common;

import java.util.HashMap;

/**
 * The XML-RPC fault codes: supervisord's (supervisor.xmlrpc.Faults) and, from 100, the ones Supvisors
 * adds to that table (0.19's Java client knew only the first ones, so a Supvisors fault mapped to null).
 */
public enum SupervisorFaults {
    UNKNOWN_METHOD(1),
    INCORRECT_PARAMETERS(2),
    BAD_ARGUMENTS(3),
    SIGNATURE_UNSUPPORTED(4),
    SHUTDOWN_STATE(6),
    BAD_NAME(10),
    BAD_SIGNAL(11),
    NO_FILE(20),
    NOT_EXECUTABLE(21),
    FAILED(30),
    ABNORMAL_TERMINATION(40),
    SPAWN_ERROR(50),
    ALREADY_STARTED(60),
    NOT_RUNNING(70),
    SUCCESS(80),
    ALREADY_ADDED(90),
    STILL_RUNNING(91),
    CANT_REREAD(92),
    SUPVISORS_CONF_ERROR(100),
    BAD_SUPVISORS_STATE(101),
    NOT_MANAGED(102),
    DISABLED(103),
    NOT_APPLICABLE(104),
    NOT_INSTALLED(105);

    /** The fault by code, since XML-RPC carries the code. */
    private static final HashMap<Integer, SupervisorFaults> BY_CODE = new HashMap<>();

    static {
        for (final SupervisorFaults fault : values()) {
            BY_CODE.put(fault.faultCode, fault);
        }
    }

    private final int faultCode;

    SupervisorFaults(final int faultCode) {
        this.faultCode = faultCode;
    }

    /** @return the fault of the code, or null for an unknown code. */
    public static SupervisorFaults getFault(final int faultCode) {
        return BY_CODE.get(faultCode);
    }

    /** @return the numeric code of the fault. */
    public int getFaultCode() {
        return faultCode;
    }
}
