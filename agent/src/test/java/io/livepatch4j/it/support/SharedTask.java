package io.livepatch4j.it.support;

import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.quiescence.Quiescence;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One task object that several executors queue and run (a shared "flush" task), for the tests of
 * which unit each copy runs in: each run records the thread that ran it and the generation it saw,
 * "P=v1" for the code as loaded on thread P, "P=v2" after {@code TestPatches.greeterV2()}.
 */
public final class SharedTask {

    /** The class the patch changes: first() and second() return "v1" as loaded, "v2" patched. */
    public final Greeter greeter;
    /** What each run recorded, in order. */
    public final List<String> ran = new CopyOnWriteArrayList<>();
    /** The one task object. */
    public final Runnable flush;

    public SharedTask(String name) {
        greeter = new Greeter(name);
        flush = () -> ran.add(Thread.currentThread().getName() + "=" + greeter.second());
    }

    /** Submits {@link #flush} to {@code pool} from a unit of work; returns the generation that unit ran ("v1" or "v2"). */
    public String submitFromUnit(Executor pool) throws Exception {
        return Quiescence.call(() -> {
            pool.execute(flush);
            return greeter.first();
        });
    }

    /**
     * On a new thread {@code name}, submits {@link #flush} to {@code pool} from a unit of work of its
     * own; what the submission threw (a refusal) goes to {@code thrown}. Returns the started thread.
     */
    public Thread submitFromUnitOn(String name, Executor pool, java.util.concurrent.atomic.AtomicReference<Throwable> thrown) {
        Thread t = new Thread(() -> {
            try {
                Quiescence.call(() -> {
                    pool.execute(flush);
                    return null;
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, name);
        t.start();
        return t;
    }

    /** Waits until {@code n} runs were recorded, at most 10 s. */
    public void awaitRuns(int n) throws InterruptedException {
        for (int i = 0; i < 200 && ran.size() < n; i++) {
            Thread.sleep(50);
        }
    }

    /** A single-thread executor whose thread is named {@code name} (what a run records). */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(r -> new Thread(r, name));
    }
}
