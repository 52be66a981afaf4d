package io.livepatch4j.bench.latency;

import java.util.concurrent.locks.LockSupport;

/** Sleeping until an instant of {@code System.nanoTime()}, unaffected by spurious wake-ups. */
final class Pause {

    private Pause() {}

    static void until(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
