package io.livepatch4j.it.integrations;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.app.Greeter;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.Held;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.quiescence.Quiescence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spring context with @EnableAsync and @EnableScheduling: @Async methods on a SimpleAsyncTaskExecutor
 * (a thread per task: what Spring uses when a context defines no executor) and on a
 * ThreadPoolTaskExecutor, and @Scheduled on the scheduler Spring makes itself. The context starts inside a unit of work, so the
 * scheduled task is registered from one: it must begin units of its own, never carry that one.
 */
@ExtendWith(BackToLoadedCode.class)
class SpringIT {

    static final Greeter GREETER = new Greeter("spring");

    // Static: the test sees the bean through Spring's subclass proxy, whose own fields are not the bean's.
    static volatile Held gate;
    static volatile String tickUnit = "";
    static volatile String tickVersion = "";

    /** The beans. */
    public static class Jobs {

        @Async("simple")
        public CompletableFuture<String> second() {
            Held g = gate;
            if (g != null) {
                g.hold();
            }
            return CompletableFuture.completedFuture(GREETER.second());
        }

        @Async("simple")
        public CompletableFuture<String> unit() {
            return CompletableFuture.completedFuture(PatchFlips.myUnit());
        }

        @Async("pool")
        public CompletableFuture<String> secondOnPool() {
            return CompletableFuture.completedFuture(GREETER.second());
        }

        @Scheduled(fixedRate = 10)
        public void tick() {
            tickUnit = PatchFlips.myUnit();
            tickVersion = GREETER.first();
        }
    }

    @Configuration
    @EnableAsync
    @EnableScheduling
    static class Config {
        @Bean
        Jobs jobs() {
            return new Jobs();
        }

        /** What @Async uses when a context defines no executor of its own: a thread per task. */
        @Bean(name = "simple")
        SimpleAsyncTaskExecutor simple() {
            return new SimpleAsyncTaskExecutor("async-");
        }

        @Bean(name = "pool")
        ThreadPoolTaskExecutor pool() {
            ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();
            pool.setCorePoolSize(2);
            return pool;
        }
    }

    private AnnotationConfigApplicationContext context;
    private Jobs jobs;

    @BeforeEach
    void start() throws Exception {
        context = Quiescence.call(() -> new AnnotationConfigApplicationContext(Config.class));
        jobs = context.getBean(Jobs.class);
    }

    @AfterEach
    void stop() {
        Held g = gate;
        if (g != null) {
            g.release();
        }
        gate = null;
        context.close();
    }

    @Test
    @Timeout(60)
    void asyncMethodsAndScheduledTasksAreUnitsOfWork() throws Exception {
        assertEquals("executor task", jobs.unit().get(10, TimeUnit.SECONDS),
            "an @Async method on the default executor (a thread per task) is a unit");
        assertEquals("Quiescence API (carried into an executor task)", Quiescence.call(jobs::unit).get(10, TimeUnit.SECONDS),
            "an @Async method called inside a unit runs in that unit");
        // A run while the unit that started the context was still open joined it (work registered in a
        // unit, docs/agent.md); once that unit has ended, each run is a unit of its own.
        tickUnit = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (tickUnit.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("executor task", tickUnit, "each run of a @Scheduled task is a unit of its own");
    }

    @Test
    @Timeout(60)
    void asyncWorkOfAUnitRunsItsGenerationAndScheduledTasksMoveOn() throws Exception {
        Held held = new Held();
        gate = held;
        AtomicReference<CompletableFuture<String>> second = new AtomicReference<>();
        String first = Quiescence.call(() -> {
            second.set(jobs.second());
            return GREETER.first();
        });
        held.awaitArrival();
        gate = null;
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        assertFalse(LivePatch.awaitTransition(Duration.ofMillis(500)),
            "the transition waits for the @Async work the G0 unit started");
        held.release();
        assertEquals("v1+v1", first + "+" + second.get().get(10, TimeUnit.SECONDS), "the @Async work ran G0");
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(5)), "the periodic task, scheduled from inside a "
            + "unit, holds nothing: " + LivePatch.status().transition());
        Thread.sleep(100);
        assertEquals("v2", tickVersion, "the scheduled task runs the new code from its next run on");
    }

    @Test
    @Timeout(90)
    void asyncWorkUnderLoadWithPatchesAppliedAndRolledBackNeverSeesTwoGenerations() throws Exception {
        var simple = PatchFlips.run(3, 4, () -> Quiescence.call(() -> {
            CompletableFuture<String> b = jobs.second();
            return GREETER.first() + "+" + b.get(10, TimeUnit.SECONDS);
        }));
        System.out.println("SpringIT @Async (SimpleAsyncTaskExecutor): " + simple.units() + " units, 0 mixed");
        LivePatch.rollback(0, Strategy.LOCAL);
        assertTrue(LivePatch.awaitTransition(Duration.ofSeconds(10)));
        var pool = PatchFlips.run(3, 4, () -> Quiescence.call(() -> {
            CompletableFuture<String> b = jobs.secondOnPool();
            return GREETER.first() + "+" + b.get(10, TimeUnit.SECONDS);
        }));
        System.out.println("SpringIT @Async (ThreadPoolTaskExecutor): " + pool.units() + " units, 0 mixed");
    }
}
