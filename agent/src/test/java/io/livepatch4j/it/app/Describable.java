package io.livepatch4j.it.app;

/** An interface with a default method, to patch an interface method. */
public interface Describable {

    String describe();

    default String tag() {
        return "[" + describe() + "]";
    }
}
