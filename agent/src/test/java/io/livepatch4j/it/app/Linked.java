package io.livepatch4j.it.app;

/** A patchable class whose v2 (src/test/resources/v2/Linked.java) adds a field that can refer back to its object. */
public class Linked implements Cloneable {

    /** v1 keeps nothing; v2 keeps {@code [this, note]} in an added field and returns it. */
    public Object[] remember(String note) {
        return null;
    }

    @Override
    public Linked clone() {
        try {
            return (Linked) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
