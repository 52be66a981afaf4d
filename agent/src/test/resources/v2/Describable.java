package io.livepatch4j.it.app;

public interface Describable {

    String describe();

    default String tag() {
        return "{" + describe() + "}";
    }
}
