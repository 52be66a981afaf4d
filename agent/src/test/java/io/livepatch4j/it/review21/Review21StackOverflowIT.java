package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Submissions near the end of the stack (deep recursion, a StackOverflowError caught and the work
 * retried on the way back: what recursive parsers and some frameworks do). Each one is rejected and
 * discarded by the JDK's DiscardPolicy (the pool is shut down), so none should hold anything. A
 * StackOverflowError inside the hooks (between holdDetached and Carriers.put, or calling the exit hook)
 * may leave a hold no map entry will ever release, or a record on the thread's stack that nothing pops.
 */
class Review21StackOverflowIT {

    static final Runnable TASK = () -> { };
    static final AtomicInteger CALLS = new AtomicInteger();
    static ThreadPoolExecutor pool;

    static void recurse(int depth) {
        try {
            recurse(depth + 1);
        } catch (StackOverflowError e) {
            // the stack is full here
        }
        try {
            CALLS.incrementAndGet();
            pool.execute(TASK);
        } catch (Throwable e) {
            // StackOverflowError: retried one frame up
        }
    }

    @Test
    @Timeout(120)
    void submissionsThatOverflowTheStackLeaveNothingBehind() throws Exception {
        pool = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES, new SynchronousQueue<>(), new ThreadPoolExecutor.DiscardPolicy());
        pool.shutdown();
        Greeter g = new Greeter("r21");
        Object[] stale = new Object[1];
        Thread t = new Thread(() -> {
            for (int i = 0; i < 150; i++) {
                Quiescence.run(() -> recurse(0));
            }
            stale[0] = submissionRecord();
        }, "deep");
        t.start();
        t.join(100_000);
        System.out.println("review21 stack-overflow: " + CALLS + " submissions, record left on the thread: " + stale[0]);
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        boolean done = Pools.awaitWithGc(5);
        System.out.println("review21 stack-overflow: " + Pools.status());
        assertNull(stale[0], "the thread is inside no submission, yet a record is left on its stack");
        assertTrue(done, "every submission was discarded: nothing should hold G0: " + Pools.status());
    }

    static Object submissionRecord() {
        try {
            Class<?> ts = Class.forName("io.livepatch4j.agent.bootstrap.ThreadState", false, null);
            Method current = ts.getDeclaredMethod("current");
            current.setAccessible(true);
            Field f = ts.getDeclaredField("submission");
            f.setAccessible(true);
            Object s = f.get(current.invoke(null));
            if (s == null) {
                return null;
            }
            int n = 0;
            Field outer = s.getClass().getDeclaredField("outer");
            outer.setAccessible(true);
            for (Object o = s; o != null; o = outer.get(o)) {
                n++;
            }
            return n + " record(s), top " + s;
        } catch (ReflectiveOperationException e) {
            return "reflection failed: " + e;
        }
    }
}
