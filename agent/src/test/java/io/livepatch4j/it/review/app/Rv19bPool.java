package io.livepatch4j.it.review.app;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** review19b: where a patch's callback submits work, and what that work saw; never patched. */
public final class Rv19bPool {
    public static final ExecutorService POOL = Executors.newFixedThreadPool(2);
    /** One worker, a queue of one, the oldest queued task discarded (never run, never rejected). */
    public static final ThreadPoolExecutor DISCARDING = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES,
        new ArrayBlockingQueue<>(1), new ThreadPoolExecutor.DiscardOldestPolicy());
    public static volatile CountDownLatch gate = new CountDownLatch(1);
    public static volatile CountDownLatch gate2 = new CountDownLatch(1);
    public static volatile CountDownLatch started = new CountDownLatch(1);
    public static final List<String> SEEN = new CopyOnWriteArrayList<>();

    private Rv19bPool() {}

    public static void reset() {
        gate = new CountDownLatch(1);
        gate2 = new CountDownLatch(1);
        started = new CountDownLatch(1);
        SEEN.clear();
    }
}
