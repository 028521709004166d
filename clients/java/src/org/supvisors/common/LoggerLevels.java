package org.supvisors.common;

/** supervisord's logger levels with their numbers (supervisor.loggers.LevelsByName). */
public enum LoggerLevels {
    BLATHER(3),
    TRACE(5),
    DEBUG(10),
    INFO(20),
    WARN(30),
    ERROR(40),
    CRITICAL(50);

    private final int levelCode;

    LoggerLevels(final int levelCode) {
        this.levelCode = levelCode;
    }

    /** @return the level's number, as supvisors.change_log_level accepts it. */
    public int getLevelCode() {
        return this.levelCode;
    }
}
