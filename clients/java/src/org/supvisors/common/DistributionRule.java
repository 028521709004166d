package org.supvisors.common;

/** Where the processes of an application may run, spec 4.1. */
public enum DistributionRule {
    ALL_INSTANCES(0),
    SINGLE_INSTANCE(1),
    SINGLE_NODE(2);

    /** The value the daemon gives it (its order). */
    private final int distributionCode;

    private DistributionRule(final int distributionCode) {
        this.distributionCode = distributionCode;
    }
}
