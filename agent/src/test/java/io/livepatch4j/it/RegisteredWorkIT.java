package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work registered inside a unit to run later (a CompletableFuture dependent stage that another thread
 * fires inline, a delayed scheduled task, a timer task) runs in that unit's generation while the unit
 * is open, and begins a unit of its own once the unit has ended; it never holds the unit open, so a
 * stage that never fires or a timer that never stops cannot hold a transition.
 */
@ExtendWith(BackToLoadedCode.class)
class RegisteredWorkIT {

    private static final Greeter GREETER = new Greeter("registered");

    /**
     * A unit of G0 registers work with {@code register} and stays open until the work ran; meanwhile
     * the patch is applied, and {@code fire} makes the work run on another thread. Returns what the
     * work's two calls saw.
     */
    private static String whileOpen(Consumer<Runnable> register, Runnable fire) throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        CountDownLatch registered = new CountDownLatch(1);
        CountDownLatch ran = new CountDownLatch(1);
        Thread unit = new Thread(() -> Quiescence.run(() -> {
            register.accept(() -> {
                seen.set(GREETER.first() + "+" + GREETER.second());
                ran.countDown();
            });
            registered.countDown();
            try {
                ran.await(20, TimeUnit.SECONDS); // the unit stays open until its work ran
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "registering-unit");
        unit.start();
        assertTrue(registered.await(10, TimeUnit.SECONDS));
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        fire.run();
        assertTrue(ran.await(20, TimeUnit.SECONDS), "the registered work ran");
        unit.join();
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)), "the transition completes once the unit ended");
        return seen.get();
    }

    @Test
    @Timeout(60)
    void aStageFiredInlineByAnotherThreadRunsTheGenerationOfTheUnitThatRegisteredIt() throws Exception {
        CompletableFuture<String> source = new CompletableFuture<>();
        String r = whileOpen(work -> source.thenAccept(x -> work.run()), () -> {
            // Completed from a thread that runs the new generation: the stage runs inline there.
            Thread completer = new Thread(() -> Quiescence.run(() -> source.complete("done")), "completer");
            completer.start();
        });
        assertEquals("v1+v1", r, "the stage runs the registering unit's generation, not the completer's");
    }

    @Test
    @Timeout(60)
    void aDelayedTaskRunsTheGenerationOfTheUnitThatScheduledItWhileThatIsOpen() throws Exception {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            String r = whileOpen(work -> timer.schedule(work, 300, TimeUnit.MILLISECONDS), () -> { });
            assertEquals("v1+v1", r);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    @Timeout(60)
    void aTimerTaskRunsTheGenerationOfTheUnitThatScheduledItWhileThatIsOpen() throws Exception {
        Timer timer = new Timer("lp4j-test-timer", true);
        try {
            String r = whileOpen(work -> timer.schedule(task(work), 300), () -> { });
            assertEquals("v1+v1", r);
        } finally {
            timer.cancel();
        }
    }

    @Test
    @Timeout(60)
    void registeredWorkNeverHoldsATransitionAndRunsTheNewestCodeOnceItsUnitEnded() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        CompletableFuture<String> later = new CompletableFuture<>();
        AtomicReference<String> stage = new AtomicReference<>();
        AtomicReference<String> polled = new AtomicReference<>();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        try {
            Quiescence.run(() -> {
                never.thenAccept(x -> GREETER.first());
                later.thenAccept(x -> stage.set(GREETER.first() + "+" + GREETER.second()));
                poller.scheduleAtFixedRate(() -> polled.set(GREETER.first() + "+" + GREETER.second()), 0, 20,
                    TimeUnit.MILLISECONDS);
            });
            LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
            assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)),
                "a stage that never fires and a periodic task do not hold the transition");
            later.complete("x");
            assertEquals("v2+v2", stage.get(), "a stage fired after its unit ended runs the newest code");
            polled.set(null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (polled.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("v2+v2", polled.get(), "the poller's runs after the transition run the newest code");
        } finally {
            poller.shutdownNow();
        }
    }

    private static TimerTask task(Runnable r) {
        return new TimerTask() {
            @Override
            public void run() {
                r.run();
            }
        };
    }
}
