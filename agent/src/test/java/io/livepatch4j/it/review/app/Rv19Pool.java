package io.livepatch4j.it.review.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** review19: where a patch's callback submits work, and what that work saw; never patched. */
public final class Rv19Pool {
    public static final ExecutorService POOL = Executors.newSingleThreadExecutor();
    public static volatile CountDownLatch gate = new CountDownLatch(1);
    public static volatile CountDownLatch gate2 = new CountDownLatch(1);
    public static final List<String> SEEN = new CopyOnWriteArrayList<>();

    private Rv19Pool() {}
}
