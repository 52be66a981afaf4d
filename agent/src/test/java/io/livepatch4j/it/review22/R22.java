package io.livepatch4j.it.review22;

import io.livepatch4j.agent.tooling.LivePatch;

import java.time.Duration;

/** Helpers of the review22 reproductions. */
final class R22 {

    private R22() {}

    /** Whether the transition completes within about {@code seconds}, collecting garbage meanwhile. */
    static boolean awaitWithGc(int seconds) throws InterruptedException {
        for (int i = 0; i < seconds * 2; i++) {
            System.gc();
            if (LivePatch.awaitTransition(Duration.ofMillis(500))) {
                return true;
            }
        }
        return false;
    }

    /** Waits until {@code pool} takes (and runs) a task: its workers are free again. */
    static void idle(java.util.concurrent.ExecutorService pool) throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                pool.submit(() -> { }).get(10, java.util.concurrent.TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the pool stayed busy");
    }

    static String status() {
        return String.valueOf(LivePatch.status().transition());
    }

    static void await(java.util.concurrent.CountDownLatch l) {
        try {
            l.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
