package io.livepatch4j.it.app;

public class Linked implements Cloneable {

    private Object[] remembered;

    public Object[] remember(String note) {
        if (remembered == null) {
            remembered = new Object[] {this, note};
        }
        return remembered;
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
