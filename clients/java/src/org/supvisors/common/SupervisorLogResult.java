package org.supvisors.common;

/** The result of supervisor.tailProcessStdoutLog / tailProcessStderrLog: [bytes, offset, overflow]. */
public class SupervisorLogResult {

    private final String bytes;
    private final Integer offset;
    private final Boolean overflow;

    public SupervisorLogResult(final Object[] objectsArray) {
        this.bytes = (String) objectsArray[0];
        this.offset = Values.integer(objectsArray[1]);
        this.overflow = Values.bool(objectsArray[2]);
    }

    /** @return the log text read. */
    public String getBytes() {
        return this.bytes;
    }

    /** @return the offset to ask from in the next tail call. */
    public Integer getOffset() {
        return this.offset;
    }

    /** @return true when more than the requested length was written since the given offset. */
    public Boolean getOverflow() {
        return this.overflow;
    }

    @Override
    public String toString() {
        return "SupervisorLogResult(offset=" + this.offset + " overflow=" + this.overflow
            + " bytes=" + this.bytes + ")";
    }
}
