package io.livepatch4j.it.review27.base;

/** Review 27: a default method reached from a patched implementor in another package. */
public interface R27Iface {

    default String dflt() {
        return "iface-default";
    }
}
