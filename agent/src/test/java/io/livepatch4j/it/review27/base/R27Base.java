package io.livepatch4j.it.review27.base;

/** Review 27: protected members in a package no patch prepares, hidden, overloaded and bridged below. */
public abstract class R27Base<T> {

    protected int n = 7;

    protected T value() {
        return null;
    }

    protected Object make() {
        return "base-make";
    }

    protected static String sx() {
        return "base-sx";
    }

    protected String over(Object o) {
        return "base-over-obj";
    }

    protected <U extends CharSequence> String generic(U u) {
        return "base-generic:" + u;
    }
}
