package io.livepatch4j.it.support;

import io.livepatch4j.agent.tooling.LivePatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Concurrent units of work over a generated class: executor tasks (each task is one unit of work for
 * the agent) that run the entry, call kept lambdas, and run the entry again, with pauses between, so
 * that units straddle transitions. Each records a {@link GenTrace.Unit}.
 */
public final class GenLoad implements AutoCloseable {

    private final ExecutorService workers;
    private final Semaphore inFlight;
    private final int maxPermits;
    private final ConcurrentLinkedQueue<GenTrace.Unit> done = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile IntConsumer gen;
    private volatile String pool;
    private volatile long atLeast;
    private Thread submitter;

    private final boolean callKept;

    /** Units that also call lambdas kept by earlier units ({@code callKept}), or only the entry. */
    public GenLoad(int threads, boolean callKept) {
        this.callKept = callKept;
        workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gen-worker");
            t.setDaemon(true);
            return t;
        });
        maxPermits = threads * 2;
        inFlight = new Semaphore(maxPermits);
    }

    /** Units from now on run {@code gen}, whose lambdas are kept in {@code pool}. */
    public void target(IntConsumer gen, String pool) {
        this.gen = gen;
        this.pool = pool;
    }

    /** Units submitted from now on must pin {@code g} or newer: its apply or rollback has returned. */
    public void published(long g) {
        atLeast = g;
    }

    /** Submits units continuously until {@link #stop}. */
    public void start() {
        running.set(true);
        submitter = new Thread(() -> {
            while (running.get()) {
                try {
                    inFlight.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                submit();
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(5_000, 30_000));
            }
        }, "gen-submitter");
        submitter.setDaemon(true);
        submitter.start();
    }

    private Future<?> submit() {
        IntConsumer g = gen;
        String p = pool;
        long min = atLeast;
        return workers.submit(() -> {
            try {
                done.add(unit(g, p, min, callKept));
            } finally {
                inFlight.release();
            }
        });
    }

    /** Runs one unit now (on a worker) and returns its record. */
    public GenTrace.Unit probe() throws Exception {
        inFlight.acquire();
        IntConsumer g = gen;
        String p = pool;
        long min = atLeast;
        return workers.submit(() -> {
            try {
                return unit(g, p, min, callKept);
            } finally {
                inFlight.release();
            }
        }).get(30, TimeUnit.SECONDS);
    }

    private static GenTrace.Unit unit(IntConsumer gen, String pool, long atLeast, boolean callKept) {
        GenTrace.Unit u = GenTrace.begin(LivePatch.threadGeneration(), atLeast);
        try {
            step(() -> gen.accept(0));
            LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(1_000, 30_000));
            for (int i = 0; callKept && i < 2; i++) {
                GenTrace.Kept k = GenTrace.anyKept(pool);
                if (k != null) {
                    GenTrace.hit("#kept " + k.site() + " G" + k.createdIn());
                    step(((Runnable) k.lambda())::run);
                    GenTrace.hit("#end");
                }
            }
            LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(1_000, 30_000));
            step(() -> gen.accept(0));
        } finally {
            GenTrace.end();
        }
        return u;
    }

    private static void step(Runnable r) {
        try {
            r.run();
        } catch (IllegalStateException e) {
            GenTrace.hit("top<" + e.getMessage());
        } catch (Throwable t) {
            GenTrace.hit("ERR " + t);
        }
    }

    /** The units that ended since the last call. */
    public List<GenTrace.Unit> drain() {
        List<GenTrace.Unit> out = new ArrayList<>();
        for (GenTrace.Unit u; (u = done.poll()) != null; ) {
            out.add(u);
        }
        return out;
    }

    /** Stops submitting and waits for the units in flight to end. */
    public void stop() throws InterruptedException {
        running.set(false);
        if (submitter != null) {
            submitter.interrupt();
            submitter.join();
            submitter = null;
        }
        int permits = maxPermits;
        inFlight.acquire(permits);
        inFlight.release(permits);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        workers.shutdown();
        workers.awaitTermination(30, TimeUnit.SECONDS);
    }
}
