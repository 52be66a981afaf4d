package io.livepatch4j.bench.submit;

import io.livepatch4j.quiescence.Quiescence;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What a task submission costs, end to end: {@value #BATCH} tasks handed to a one-thread
 * ThreadPoolExecutor and run, per task. The worker is held at a gate while the batch is submitted
 * and then drains the full queue, so neither side parks per task: a benchmark where the worker
 * drained as fast as tasks came would measure a park and an unpark per task instead, whenever the
 * submitting side is the slower one. The batch is submitted by a platform thread of the benchmark's
 * own ({@link #submitter}), not by JMH's benchmark thread: JMH runs that thread as an executor task,
 * which with the agent is a unit of work, so nothing it submits would be "outside a unit".
 * {@code in-unit}: submitted from inside a unit of work ({@code Quiescence.run}, once per batch), so
 * with the agent each task carries the unit (a weak map entry and a hold at submit, taken and joined
 * when the worker runs it). {@code outside-unit}: the same with no unit around the submission (with
 * the agent, each task is still a unit of its own on the worker). Run by {@link SubmitCostMain} in
 * forks with and without the agent.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SubmitCostBenchmark {

    static final int BATCH = 1000;

    /** "in-unit" or "outside-unit". */
    @Param({"in-unit"})
    public String where;

    private ThreadPoolExecutor pool;
    private final AtomicInteger done = new AtomicInteger();
    private volatile Thread waiter;
    private Runnable task;
    /** Submits one batch per gate it takes, then opens the gate. */
    private Thread submitter;
    private final BlockingQueue<CountDownLatch> rounds = new LinkedBlockingQueue<>();

    @Setup(Level.Trial)
    public void setUp() {
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        pool.prestartAllCoreThreads();
        task = () -> {
            if (done.incrementAndGet() == BATCH) {
                LockSupport.unpark(waiter);
            }
        };
        Runnable batch = () -> {
            for (int i = 0; i < BATCH; i++) {
                pool.execute(task);
            }
        };
        submitter = new Thread(() -> {
            try {
                for (;;) {
                    CountDownLatch gate = rounds.take();
                    if ("in-unit".equals(where)) {
                        Quiescence.run(batch);
                    } else {
                        batch.run();
                    }
                    gate.countDown();
                }
            } catch (InterruptedException e) {
                // tearDown
            }
        }, "submitter");
        submitter.setDaemon(true);
        submitter.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        submitter.interrupt();
        pool.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int submit() throws InterruptedException {
        done.set(0);
        waiter = Thread.currentThread();
        CountDownLatch gate = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        rounds.put(gate);
        while (done.get() < BATCH) {
            LockSupport.park(this);
        }
        return done.get();
    }
}
