package org.supvisors.common;

/** How Supvisors chooses the instance where a process starts, spec 4.1. */
public enum StartingStrategy {
    CONFIG(0),
    LESS_LOADED(1),
    MOST_LOADED(2),
    LOCAL(3),
    LESS_LOADED_NODE(4),
    MOST_LOADED_NODE(5);

    /** The value the daemon gives it (its order). */
    private final int strategyCode;

    private StartingStrategy(final int strategyCode) {
        this.strategyCode = strategyCode;
    }
}
