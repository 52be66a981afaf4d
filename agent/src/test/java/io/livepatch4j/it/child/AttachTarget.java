package io.livepatch4j.it.child;

import io.livepatch4j.it.app.Greeter;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
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

        Class<?> livePatch = null;
        for (int i = 0; i < 600; i++) {
            try {
                livePatch = Class.forName("io.livepatch4j.agent.tooling.LivePatch", true, ClassLoader.getSystemClassLoader());
                if ((Boolean) livePatch.getMethod("loaded").invoke(null)) {
                    break;
                }
            } catch (ClassNotFoundException e) {
                // the agent is not attached yet
            }
            Thread.sleep(100);
        }
        Class<?> strategy = Class.forName("io.livepatch4j.agent.tooling.Strategy", true, ClassLoader.getSystemClassLoader());
        Method apply = livePatch.getMethod("apply", Path.class, strategy);
        Object result = apply.invoke(null, patch, strategy.getField("LOCAL").get(null));
        Method await = livePatch.getMethod("awaitTransition", java.time.Duration.class);
        boolean done = (Boolean) await.invoke(null, java.time.Duration.ofSeconds(20));
        Thread.sleep(200);
        running.set(false);
        feeder.join();
        String after = pool.submit(g::pair).get();
        // The pool's threads started before the agent: their tasks are units of work all the same.
        Object status = livePatch.getMethod("status").invoke(null);
        Class<?> api = livePatch;
        String unitKind = pool.submit(() -> {
            long id = Thread.currentThread().getId();
            Object st = api.getMethod("status").invoke(null);
            for (Object t : (java.util.List<?>) st.getClass().getMethod("threadsInUnits").invoke(st)) {
                if ((long) t.getClass().getMethod("id").invoke(t) == id) {
                    return (String) t.getClass().getMethod("unitKind").invoke(t);
                }
            }
            return "none";
        }).get();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        Object mode = status.getClass().getMethod("mode").invoke(status);
        System.out.println("RESULT mode=" + mode + " complete=" + done + " units=" + units.get() + " mixed=" + mixed.get()
            + " after=" + after + " unitKind=" + unitKind + " result=" + result);
        Files.writeString(patch.resolveSibling("done"), "done");
    }
}
