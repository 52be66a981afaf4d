package io.livepatch4j.bench.callcost;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * JMH's worker threads, outside every unit of work. JMH runs each iteration as a task of a
 * ThreadPoolExecutor, and the agent makes every such task a unit of work, which would decide for the
 * benchmark where its units begin. These plain threads run tasks with no unit around them; the
 * benchmark begins its own where a case needs one. Selected with {@code -Djmh.executor=CUSTOM
 * -Djmh.executor.class=...}; the same executor runs every case, with or without the agent.
 */
public final class OutsideUnitsExecutor extends AbstractExecutorService {

    private static final Runnable STOP = () -> { };

    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean shutdown;

    /** The constructor JMH's CUSTOM executor type calls. */
    public OutsideUnitsExecutor(int threads, String prefix) {
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, prefix + "-" + i);
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    private void work() {
        try {
            for (Runnable r = tasks.take(); r != STOP; r = tasks.take()) {
                r.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) {
            throw new java.util.concurrent.RejectedExecutionException("executor is shut down");
        }
        tasks.add(command);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        workers.forEach(w -> tasks.add(STOP));
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>();
        tasks.drainTo(left);
        left.removeIf(r -> r == STOP);
        workers.forEach(Thread::interrupt);
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && workers.stream().noneMatch(Thread::isAlive);
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Thread w : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedJoin(w, left);
        }
        return isTerminated();
    }
}
