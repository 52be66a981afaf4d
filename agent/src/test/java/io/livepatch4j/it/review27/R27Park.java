package io.livepatch4j.it.review27;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Review 27: parks the calling thread at a named point of application code while the test has armed
 * that point for the thread's name; outside the prepared packages, so parking changes no generation.
 */
public final class R27Park {

    private record Gate(CountDownLatch arrived, CountDownLatch released) {
    }

    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    private R27Park() {}

    /** Called by application code: parks if the point is armed for this thread. */
    public static void park(String point) {
        Gate g = GATES.get(Thread.currentThread().getName() + "@" + point);
        if (g == null) {
            return;
        }
        g.arrived.countDown();
        try {
            if (!g.released.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released: " + point);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Arms {@code point} for the thread named {@code thread}. */
    public static void arm(String thread, String point) {
        GATES.put(thread + "@" + point, new Gate(new CountDownLatch(1), new CountDownLatch(1)));
    }

    public static void awaitArrival(String thread, String point) throws InterruptedException {
        if (!GATES.get(thread + "@" + point).arrived.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(thread + " never arrived at " + point);
        }
    }

    public static void release(String thread, String point) {
        Gate g = GATES.remove(thread + "@" + point);
        if (g != null) {
            g.released.countDown();
        }
    }
}
