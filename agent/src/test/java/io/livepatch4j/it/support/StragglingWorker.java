package io.livepatch4j.it.support;

import io.livepatch4j.it.app.Greeter;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A pool thread named {@code name} held inside one executor task (a unit of work) that runs
 * {@link Greeter#pair}, between its two calls, until {@link #release}: a straggler once a patch to
 * Greeter arrives. Closing it releases the thread and resets Greeter's hook.
 */
public final class StragglingWorker implements AutoCloseable {

    private final Held held = new Held();
    private final ExecutorService pool;
    private final Future<String> pair;

    /** Returns once the thread is held inside its unit. */
    public StragglingWorker(String name) throws InterruptedException {
        pool = Executors.newSingleThreadExecutor(r -> new Thread(r, name));
        Greeter.betweenCalls = () -> {
            if (Thread.currentThread().getName().equals(name)) {
                held.hold();
            }
        };
        pair = pool.submit(new Greeter(name)::pair);
        held.awaitArrival();
    }

    /** Lets the task finish; returns what its unit's two calls returned ("v1+v1": one generation throughout). */
    public String release() throws Exception {
        held.release();
        return pair.get();
    }

    @Override
    public void close() {
        Greeter.betweenCalls = () -> { };
        held.release();
        pool.shutdownNow();
    }
}
