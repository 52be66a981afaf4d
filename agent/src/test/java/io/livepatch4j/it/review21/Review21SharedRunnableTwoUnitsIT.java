package io.livepatch4j.it.review21;

import io.livepatch4j.it.support.Pools;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One Runnable object (a shared "flush" task) submitted from a G0 unit to pool P (busy: queued) and,
 * after a patch, from a G1 unit to pool Q, which runs it at once. A run takes the oldest hold of the
 * object, whichever submission it belongs to: Q's copy, submitted by the G1 unit, runs G0, and P's copy,
 * carried from the G0 unit, runs G1 afterwards. The G0 unit's work then ran two generations.
 */
@ExtendWith(BackToLoadedCode.class)
class Review21SharedRunnableTwoUnitsIT {

    @Test
    @Timeout(60)
    void eachSubmissionOfASharedTaskRunsItsSubmittersGeneration() throws Exception {
        Greeter g = new Greeter("r21");
        List<String> ran = new CopyOnWriteArrayList<>();
        Runnable flush = () -> ran.add(Thread.currentThread().getName() + "=" + g.second());
        ExecutorService p = Executors.newSingleThreadExecutor(r -> new Thread(r, "P"));
        ExecutorService q = Executors.newSingleThreadExecutor(r -> new Thread(r, "Q"));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            p.execute(() -> Pools.await(gate));
            String u1 = Quiescence.call(() -> {
                p.execute(flush); // queued behind the gate: carries this G0 unit
                return g.first();
            });
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            String u2 = Quiescence.call(() -> {
                q.execute(flush); // runs at once on Q: carries this G1 unit
                return g.first();
            });
            q.submit(() -> { }).get(10, TimeUnit.SECONDS);
            gate.countDown();
            p.submit(() -> { }).get(10, TimeUnit.SECONDS);
            System.out.println("review21 shared-runnable: units " + u1 + "," + u2 + " ran " + ran);
            assertEquals("v1,v2", u1 + "," + u2);
            assertEquals(Set.of("P=v1", "Q=v2"), new TreeSet<>(ran),
                "each copy runs the generation of the unit that submitted it");
        } finally {
            gate.countDown();
            p.shutdownNow();
            q.shutdownNow();
        }
    }
}
