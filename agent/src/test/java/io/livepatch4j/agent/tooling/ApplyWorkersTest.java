package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplyWorkersTest {

    private static final List<Integer> ITEMS = IntStream.range(0, 200).boxed().toList();

    @Test
    void onAThreadThatDoesNotShareTheCallerDoesEveryItemItself() throws Exception {
        // A thread of the application's (it may hold a class loader's monitor that a helper would wait for).
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Thread app = new Thread(() -> {
            try {
                ApplyWorkers.map("test", ITEMS, null, i -> threads.add(Thread.currentThread().getName()));
            } catch (PatchException e) {
                throw new IllegalStateException(e);
            }
        }, "application-thread");
        app.start();
        app.join();
        assertEquals(Set.of("application-thread"), threads);
    }

    /** A loader that is not parallel capable (a plug-in host's, say): the classic ClassLoader's default. */
    static final class SerialLoader extends ClassLoader {
        SerialLoader() {
            super(ApplyWorkersTest.class.getClassLoader());
        }
    }

    /** A loader registered as parallel capable: a lock per class name. */
    static final class ParallelLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        ParallelLoader() {
            super(ApplyWorkersTest.class.getClassLoader());
        }
    }

    @Test
    void itemsThatLoadThroughALoaderThatIsNotParallelCapableAreAllTheCallersOwn() throws Exception {
        ApplyWorkers.shareOnThisThread();
        ClassLoader serial = new SerialLoader();
        ClassLoader parallel = new ParallelLoader();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ApplyWorkers.map("test", ITEMS, i -> i == 150 ? serial : parallel, i -> threads.add(Thread.currentThread().getName()));
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
        assertTrue(ApplyWorkers.sharedLoading(parallel) && ApplyWorkers.sharedLoading(null)
            && ApplyWorkers.sharedLoading(ClassLoader.getSystemClassLoader()) && !ApplyWorkers.sharedLoading(serial));
    }

    @Test
    void itemsThatLoadThroughParallelCapableLoadersAreShared() throws Exception {
        ApplyWorkers.shareOnThisThread();
        ClassLoader parallel = new ParallelLoader();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ApplyWorkers.map("test", ITEMS, i -> parallel, i -> {
            threads.add(Thread.currentThread().getName());
            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // every thread gets items
            return i;
        });
        assertTrue(threads.size() > 1 || Runtime.getRuntime().availableProcessors() == 1, threads.toString());
    }

    @Test
    void resultsComeBackInTheItemsOrderWhicheverThreadWorkedThem() throws PatchException {
        ApplyWorkers.shareOnThisThread();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> squares = ApplyWorkers.map("test", ITEMS, null, i -> {
            threads.add(Thread.currentThread().getName());
            return i * i;
        });
        assertEquals(ITEMS.stream().map(i -> i * i).toList(), squares);
        assertTrue(threads.stream().allMatch(t -> t.equals(Thread.currentThread().getName())
            || t.startsWith("livepatch4j-apply-test-")), threads::toString);
    }

    @Test
    void theFirstFailureInTheItemsOrderIsThrownEvenWhenALaterOneFailsFirst() {
        // Item 150 fails at once; item 10 fails only after 150 has: the refusal still names item 10.
        ApplyWorkers.shareOnThisThread();
        CountDownLatch laterFailed = new CountDownLatch(1);
        PatchException e = assertThrows(PatchException.class, () -> ApplyWorkers.map("test", ITEMS, null, i -> {
            if (i == 150) {
                laterFailed.countDown();
                throw new PatchException("item 150");
            }
            if (i == 10) {
                // On one core the caller works alone, in order: then 150 has not run yet and this does not wait.
                try {
                    laterFailed.await(Runtime.getRuntime().availableProcessors() > 1 ? 5 : 0, TimeUnit.SECONDS);
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                }
                throw new PatchException("item 10");
            }
            return i;
        }));
        assertEquals("item 10", e.getMessage());
    }

    @Test
    void uncheckedFailuresAndErrorsOfAStepReachTheCaller() {
        assertThrows(IllegalStateException.class, () -> ApplyWorkers.map("test", ITEMS, null, i -> {
            if (i == 99) {
                throw new IllegalStateException("boom");
            }
            return i;
        }));
        assertThrows(NoClassDefFoundError.class, () -> ApplyWorkers.map("test", ITEMS, null, i -> {
            if (i == 3) {
                throw new NoClassDefFoundError("absent/Dependency");
            }
            return i;
        }));
    }

    @Test
    void anInterruptDoesNotCutTheWorkShortAndIsKeptForTheCaller() throws PatchException {
        Thread.currentThread().interrupt();
        try {
            List<Integer> same = ApplyWorkers.map("test", ITEMS, null, i -> i);
            assertEquals(ITEMS, same);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void noItemsNoWork() throws PatchException {
        assertEquals(List.of(), ApplyWorkers.map("test", List.<Integer>of(), null, i -> i));
    }
}
