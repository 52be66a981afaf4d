package io.livepatch4j.it.child;

import io.livepatch4j.control.LivePatchJmx;

import io.livepatch4j.it.app.Greeter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JVM started without the agent: executor threads call a patchable class in units of work; once
 * the test has attached the agent, this program applies the patch file it was given through the
 * agent's Java API and reports what its units of work saw.
 */
public final class AttachTarget {

    public static void main(String[] args) throws Exception {
        Path patch = Path.of(args[0]);
        Greeter g = new Greeter("attach");
        AtomicLong units = new AtomicLong();
        AtomicLong mixed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true); // if main fails, the JVM still ends
            return t;
        });
        Thread feeder = new Thread(() -> {
            while (running.get()) {
                try {
                    pool.submit(() -> {
                        String[] p = g.pair().split("\\+");
                        units.incrementAndGet();
                        if (!p[0].equals(p[1])) {
                            mixed.incrementAndGet();
                        }
                    }).get();
                } catch (Exception e) {
                    return;
                }
            }
        });
        feeder.setDaemon(true);
        feeder.start();
        System.out.println("READY pid=" + ProcessHandle.current().pid() + " before=" + pool.submit(g::pair).get());
        System.out.flush();

        // The agent's classes are its own (an isolating class loader): this application reaches it through
        // its MXBean, once the agent has registered it.
        if (!LivePatchJmx.awaitAgent(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the agent was not attached within 60 s");
        }
        String result = LivePatchJmx.apply(patch);
        boolean done = LivePatchJmx.awaitTransition(Duration.ofSeconds(20));
        Thread.sleep(200);
        running.set(false);
        feeder.join();
        String after = pool.submit(g::pair).get();
        String mode = LivePatchJmx.mode();
        // The pool's threads started before the agent: their tasks are units of work all the same.
        String unitKind = pool.submit(LivePatchJmx::unitKind).get();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        System.out.println("RESULT mode=" + mode + " complete=" + done + " units=" + units.get() + " mixed=" + mixed.get()
            + " after=" + after + " unitKind=" + unitKind + " result=" + result);
        Files.writeString(patch.resolveSibling("done"), "done");
    }
}
