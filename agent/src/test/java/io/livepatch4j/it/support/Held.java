package io.livepatch4j.it.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds a thread at a point until the test releases it, and lets the test wait until it is there. */
public final class Held {

    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Called by the held thread. */
    public void hold() {
        arrived.countDown();
        try {
            if (!released.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void awaitArrival() throws InterruptedException {
        if (!arrived.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the thread never arrived");
        }
    }

    public void release() {
        released.countDown();
    }
}
