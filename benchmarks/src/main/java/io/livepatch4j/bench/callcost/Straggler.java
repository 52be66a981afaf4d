package io.livepatch4j.bench.callcost;

import io.livepatch4j.agent.bootstrap.UnitKind;
import io.livepatch4j.agent.bootstrap.Units;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A thread that enters a unit of work, runs the patchable code once (so it runs the generation that
 * was current then) and stays inside that unit until released: while it waits, no transition to a
 * newer generation can complete. Agent JVMs only.
 */
final class Straggler {

    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread thread;
    private volatile int seen;

    private Straggler(IntSupplier call) {
        thread = new Thread(() -> {
            Units.enter(UnitKind.QUIESCENCE_API);
            try {
                seen = call.getAsInt();
                inside.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                Units.exit();
            }
        }, "callcost-straggler");
        thread.setDaemon(true);
    }

    /** Starts the straggler and returns once it is inside its unit of work, having called {@code call}. */
    static Straggler enter(IntSupplier call) throws InterruptedException {
        Straggler s = new Straggler(call);
        s.thread.start();
        if (!s.inside.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the straggler thread did not enter its unit of work within 10 s");
        }
        return s;
    }

    /** What the straggler's call returned (from the generation it pinned). */
    int seen() {
        return seen;
    }

    /** Lets it leave its unit of work: its quiescence point, after which the transition can complete. */
    void release() throws InterruptedException {
        release.countDown();
        thread.join(10_000);
    }
}
