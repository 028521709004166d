package org.supvisors.common;

import java.util.HashMap;

/** A Supvisors instance named by its identifier and its nick identifier. */
public class SupvisorsIdentifier {

    private String identifier;
    private String nick_identifier;

    /** From a struct holding identifier and nick_identifier (e.g. get_master_identifier). */
    public SupvisorsIdentifier(HashMap info) {
        this.identifier = Values.text(info, "identifier");
        this.nick_identifier = Values.text(info, "nick_identifier");
    }

    public SupvisorsIdentifier(String identifier, String nickIdentifier) {
        this.identifier = identifier;
        this.nick_identifier = nickIdentifier;
    }

    /** @return the identifier, prefixed with &lt;nick&gt; when the nick differs from it. */
    public String getName() {
        if (this.nick_identifier == null || this.nick_identifier.equals(this.identifier)) {
            return this.identifier;
        }
        return "<" + this.nick_identifier + ">" + this.identifier;
    }

    /** @return the identifier (null when the struct was empty: no Master). */
    public String getIdentifier() {
        return this.identifier;
    }

    public String getNickIdentifier() {
        return this.nick_identifier;
    }

    public String toString() {
        return "SupvisorsIdentifier(identifier=" + this.identifier
            + " nickIdentifier=" + this.nick_identifier
            + " name=" + this.getName() + ")";
    }
}
