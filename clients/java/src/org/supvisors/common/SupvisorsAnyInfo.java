package org.supvisors.common;

/** What the Supvisors structs returned in lists have: a name, the key of the maps they are returned in. */
public interface SupvisorsAnyInfo {

    /** @return the name of the item (an identifier, an application name or a namespec). */
    String getName();
}
