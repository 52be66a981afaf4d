package io.livepatch4j.it.review.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Review of issue 13: where hooks write. */
public final class R13Log {
    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    public static volatile Throwable failure;
    public static volatile Object result;
    public static volatile Object payload;

    private R13Log() {}
}
