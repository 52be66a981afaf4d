package io.livepatch4j.it.support;

import io.livepatch4j.agent.tooling.LivePatch;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/** What the executor tests share: pools kept busy, waited for, and transitions awaited with collections. */
public final class Pools {

    private Pools() {}

    /** Keeps one worker of {@code pool} busy until {@code gate} opens (at most 30 s): the next tasks queue or are rejected. */
    public static void occupy(Executor pool, CountDownLatch gate) {
        pool.execute(() -> await(gate));
    }

    /**
     * A rejection policy of the application's that, on its submitting thread, says it was entered
     * ({@code entered}), waits for {@code refuse}, then throws RejectedExecutionException({@code why}):
     * a refusal held in the middle of its submission.
     */
    public static java.util.concurrent.RejectedExecutionHandler refuseWhen(CountDownLatch entered, CountDownLatch refuse,
                                                                           String why) {
        return (task, self) -> {
            entered.countDown();
            await(refuse);
            throw new RejectedExecutionException(why);
        };
    }

    /** Waits for {@code latch}, at most 30 s; an interrupt ends the wait and stays set. */
    public static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the transition completes within about {@code seconds}, collecting garbage meanwhile. */
    public static boolean awaitWithGc(int seconds) throws InterruptedException {
        for (int i = 0; i < seconds * 2; i++) {
            System.gc();
            if (LivePatch.awaitTransition(Duration.ofMillis(500))) {
                return true;
            }
        }
        return false;
    }

    /** Waits until {@code pool} takes (and runs) a task: its workers are free again. */
    public static void idle(ExecutorService pool) throws Exception {
        for (int i = 0; i < 200; i++) {
            try {
                pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
                return;
            } catch (RejectedExecutionException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the pool stayed busy");
    }

    /** The transition's status, for messages. */
    public static String status() {
        return String.valueOf(LivePatch.status().transition());
    }
}
