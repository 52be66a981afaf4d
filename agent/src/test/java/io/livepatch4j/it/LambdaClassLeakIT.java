package io.livepatch4j.it;

import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.PatchableClass;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Hooks;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code in implementation classes makes lambdas; the classes the JDK spins for them are made once per
 * lambda, not once per generation (on JDK 17 they stay loaded for good, JDK-8302154), so applying and
 * rolling back a patch again and again loads no more classes.
 */
class LambdaClassLeakIT {

    @Test
    void applyAndRollbackCyclesOfAPatchThatMakesLambdasDoNotGrowTheLoadedClasses() throws Exception {
        Patch p = TestPatches.build("hooks-cycles", Map.of("io.livepatch4j.it.app.Hooks", TestPatches.source("Hooks.java")));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Hooks h = new Hooks("h");
            cycles(10, p, pool, h);
            long after10 = loadedAfterGc();
            WeakReference<Class<?>> retired = cycles(50, p, pool, h);
            long after60 = loadedAfterGc();
            System.out.println("loaded classes after 10 cycles: " + after10 + ", after 60: " + after60);
            assertTrue(after60 - after10 < 25, "50 more apply+rollback cycles loaded " + (after60 - after10)
                + " more classes (" + after10 + " after 10 cycles, " + after60 + " after 60); the lambda classes of "
                + "each generation's code leak");
            assertNull(retired.get(), "the last retired implementation class was unloaded");
        } finally {
            pool.shutdownNow();
        }
    }

    /** n apply+rollback cycles, each running the patched code's lambdas; the last retired implementation class. */
    private static WeakReference<Class<?>> cycles(int n, Patch p, ExecutorService pool, Hooks h) throws Exception {
        WeakReference<Class<?>> last = null;
        for (int i = 0; i < n; i++) {
            LivePatch.apply(p, Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
            assertEquals("<a>,<b>", pool.submit(() -> h.render(List.of(" a", "b "))).get());
            assertEquals("tag1:h", pool.submit(() -> h.tagger().get()).get());
            assertEquals("installed", pool.submit(() -> Hooks.install().get()).get());
            last = new WeakReference<>(Generations.current().version(PatchableClass.of(Hooks.class).index()).implClass());
            LivePatch.rollback(0, Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        }
        return last;
    }

    private static long loadedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
    }
}
