package io.livepatch4j.it.child;

import io.livepatch4j.control.LivePatchJmx;

import io.livepatch4j.it.hazard.app.Pair;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * For AttachVirtualThreadIT, run on JDK 21+ without the agent: a virtual thread started now stops
 * inside Pair.pair between its two calls; once the test has attached the agent, this program
 * applies the patch it was given, lets the virtual thread go on and prints what it ran. Virtual
 * threads are reached by reflection: the test classes are compiled for Java 17.
 */
public final class VirtualThreadAttachTarget {

    public static void main(String[] args) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Pair.between = () -> {
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<String> result = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                result.complete(Pair.pair());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        };
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class).invoke(builder, body);
        if (!inside.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the virtual thread never reached Pair.pair");
        }
        System.out.println("READY pid=" + ProcessHandle.current().pid());
        System.out.flush();

        if (!LivePatchJmx.awaitAgent(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the agent was not attached within 60 s");
        }
        LivePatchJmx.apply(Path.of(args[0]));
        release.countDown();
        String pair;
        try {
            pair = result.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            pair = "error:" + e;
        }
        boolean complete = LivePatchJmx.awaitTransition(Duration.ofSeconds(10));
        System.out.println("RESULT pair=" + pair + " complete=" + complete + " after=" + Pair.pair());
        System.out.flush();
    }
}
