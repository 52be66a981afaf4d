package io.livepatch4j.it.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Where the test patches' callbacks and transformers say that they ran; unchanged by the patches. */
public final class HookLog {

    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    /** Set by a test: the reverse transformer throws. */
    public static volatile boolean failReverse;

    private HookLog() {}
}
