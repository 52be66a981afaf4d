package io.livepatch4j.it.child;

import com.google.common.util.concurrent.MoreExecutors;
import io.livepatch4j.control.LivePatchJmx;
import io.livepatch4j.quiescence.Quiescence;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started without the agent whose Guava SequentialExecutor's worker is inside its loop, which
 * the agent cannot weave, when the test attaches the agent: a first task holds it there. Once the
 * agent is attached (a line on stdin), a unit of work queues a task behind the first, the first is
 * let go, and the loop begun before the agent runs the second: it prints the unit it ran in.
 */
public final class SequentialAttachTarget {

    public static void main(String[] args) throws Exception {
        Executor sequential = MoreExecutors.newSequentialExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "worker");
            t.setDaemon(true);
            return t;
        }));
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        sequential.execute(() -> {
            first.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        first.await();
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        in.readLine(); // the test has attached the agent, which is whole once its load returns
        CompletableFuture<String> kind = new CompletableFuture<>();
        Quiescence.run(() -> sequential.execute(() -> kind.complete(LivePatchJmx.unitKind())));
        release.countDown();
        System.out.println("KIND " + kind.get(30, TimeUnit.SECONDS));
        System.out.flush();
        in.readLine(); // until the test closes our input or ends us
    }
}
