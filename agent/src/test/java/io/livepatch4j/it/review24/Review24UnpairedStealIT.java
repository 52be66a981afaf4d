package io.livepatch4j.it.review24;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.SharedTask;
import io.livepatch4j.it.support.Pools;
import io.livepatch4j.it.support.TestPatches;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SharedTaskIT's "from a unit and from no unit" case, with one executor whose runs cannot say which
 * executor they are (Netty's event executor): docs/agent.md promises each copy runs in the unit that
 * submitted it there (or one of its own), and that such executors take "the oldest hold submitted to
 * an executor of that kind". Carriers.take gives a null-owner run the oldest hold of any executor,
 * and a ThreadPoolExecutor's run an unpaired (Netty) hold: the copy from no unit steals the G0
 * unit's hold and runs G0 code, and the G0 unit's copy then runs G1 code.
 */
@ExtendWith(BackToLoadedCode.class)
class Review24UnpairedStealIT {

    private final SharedTask task = new SharedTask("unpaired");
    private final List<String> ran = task.ran;
    private final Runnable flush = task.flush;

    @Test
    @Timeout(90)
    void aNettyCopyFromNoUnitTakesNoThreadPoolExecutorsHold() throws Exception {
        ExecutorService p = Executors.newSingleThreadExecutor(r -> new Thread(r, "P"));
        DefaultEventExecutor n = new DefaultEventExecutor((java.util.concurrent.ThreadFactory) r -> new Thread(r, "N"));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            Pools.occupy(p, gate);
            String u0 = task.submitFromUnit(p); // queued on P, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            n.execute(flush);              // from no unit: N runs it at once, in a unit of its own
            task.awaitRuns(1);
            gate.countDown();
            Pools.idle(p);
            task.awaitRuns(2);
            assertEquals("v1", u0);
            assertEquals(Set.of("N=v2", "P=v1"), new TreeSet<>(ran), "P's copy runs its G0 unit, N's its own unit of G1");
            assertTrue(Pools.awaitWithGc(10), "no hold left behind: " + Pools.status());
        } finally {
            gate.countDown();
            p.shutdownNow();
            n.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(90)
    void aThreadPoolExecutorCopyFromNoUnitTakesNoNettyHold() throws Exception {
        ExecutorService p = Executors.newSingleThreadExecutor(r -> new Thread(r, "P"));
        DefaultEventExecutor n = new DefaultEventExecutor((java.util.concurrent.ThreadFactory) r -> new Thread(r, "N"));
        CountDownLatch gate = new CountDownLatch(1);
        try {
            n.execute(() -> Pools.await(gate)); // N busy
            String u0 = task.submitFromUnit(n);      // queued on N, from a G0 unit
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            p.execute(flush);                   // from no unit: P runs it at once, in a unit of its own
            Pools.idle(p);
            gate.countDown();
            task.awaitRuns(2);
            assertEquals("v1", u0);
            assertEquals(Set.of("N=v1", "P=v2"), new TreeSet<>(ran), "N's copy runs its G0 unit, P's its own unit of G1");
            assertTrue(Pools.awaitWithGc(10), "no hold left behind: " + Pools.status());
        } finally {
            gate.countDown();
            p.shutdownNow();
            n.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
