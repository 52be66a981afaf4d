package io.livepatch4j.it.base;

/** A superclass in another package, not prepared: its protected members test protected access from patched code. */
public class Shelf {

    protected final int capacity;

    protected Shelf(int capacity) {
        this.capacity = capacity;
    }

    protected String unit() {
        return "slots";
    }

    public String label() {
        return "shelf of " + capacity;
    }
}
