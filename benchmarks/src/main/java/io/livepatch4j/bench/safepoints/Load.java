package io.livepatch4j.bench.safepoints;

import io.livepatch4j.bench.safepoints.patchable.PriceRules;

import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The concurrent load patches are applied under, like requests arriving at a server: a pool of
 * executor threads, each running a chain of short tasks (a task is a unit of work to the agent)
 * that call the patchable class and check that they saw one version throughout. Each task schedules
 * the next one a little later, so the threads keep reaching quiescence points and the load leaves
 * CPU for the JVM's own threads instead of saturating both cores.
 */
final class Load {

    /** Calls of {@code PriceRules.price} per unit of work: some tens of microseconds. */
    private static final int CALLS_PER_UNIT = 20_000;
    /** The pause between two units of one chain, outside any unit (the thread waits in the pool). */
    private static final long THINK_MICROS = 100;

    private final PriceRules rules = new PriceRules();
    private final ScheduledExecutorService pool;
    private final AtomicLong units = new AtomicLong();
    private final AtomicLong mixed = new AtomicLong();
    private volatile boolean running = true;
    private volatile long sink;

    private Load(int threads) {
        ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "load-worker");
            t.setDaemon(true);
            return t;
        });
        p.prestartAllCoreThreads();
        pool = p;
        for (int i = 0; i < threads; i++) {
            pool.execute(new Unit(i));
        }
    }

    static Load start(int threads) {
        return new Load(threads);
    }

    /** One unit of work: the stamp it sees first and last must be the same version's. */
    private final class Unit implements Runnable {
        private final int seed;

        Unit(int seed) {
            this.seed = seed;
        }

        @Override
        public void run() {
            int first = rules.stamp(seed) ^ seed;
            long sum = 0;
            for (int k = 0; k < CALLS_PER_UNIT; k++) {
                sum += rules.price(k & 31, 199 + seed);
            }
            int last = rules.stamp(seed) ^ seed;
            if (first != last) {
                mixed.incrementAndGet();
            }
            sink += sum;
            units.incrementAndGet();
            if (running) {
                try {
                    pool.schedule(this, THINK_MICROS, TimeUnit.MICROSECONDS);
                } catch (RejectedExecutionException e) {
                    // stopping
                }
            }
        }
    }

    /** The stamp a new task sees (a unit of work of its own, where the agent knows the pool's tasks). */
    int stampSeenByNewTask() throws Exception {
        return onWorker(() -> rules.stamp(0));
    }

    /** Runs {@code c} as a task on one of the load's threads and returns its result. */
    <T> T onWorker(Callable<T> c) throws Exception {
        return pool.submit(c).get(30, TimeUnit.SECONDS);
    }

    long units() {
        return units.get();
    }

    /** Units of work that saw two versions of the stamp. */
    long mixed() {
        return mixed.get();
    }

    /** A description for the tables. */
    static String describe(int threads) {
        return threads + " executor threads, each running units of work of " + CALLS_PER_UNIT
            + " calls with " + THINK_MICROS + " µs between units";
    }

    void stop() throws InterruptedException {
        running = false;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }
}
