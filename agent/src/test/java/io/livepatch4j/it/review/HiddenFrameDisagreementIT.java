package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.Launcher;
import io.livepatch4j.it.review.app.TwoCalls;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.Patch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise broken: docs/agent.md, the general rule: "A thread that reaches a class in transition inside
 * an application call ... records the call", and "A thread inside an application call may have run the
 * older code in it already, untracked: its units inside that call run the generation before the
 * transition." The agent must decide "inside an application call" the same way in the thread
 * (AppCalls.enclosingCall, StackWalker) and in the tooling's look at its stack (JvmtiStacks).
 *
 * <p>Application code starts a server worker with a method reference (Launcher: {@code new
 * Thread(loop::run)}); the worker (server code, this class) calls the application's handler, which
 * calls Greeter.first(), waits, then Greeter.second(); the patch is applied while it waits. Observed:
 * "v1+v2". The JVMTI look sees the hidden frames (the application's method-reference class at the
 * bottom, APPLICATION; the server's lambda class) and finds the outermost application frame with no
 * server code below it: no application call, so the thread is no app walker. The thread's own
 * StackWalker hides hidden frames, sees server code below the handler, takes it for an application
 * call that began after the transition, and runs the new code for the second call.
 */
@ExtendWith(BackToLoadedCode.class)
class HiddenFrameDisagreementIT {

    @Test
    @Timeout(60)
    void aWorkerStartedByAMethodReferenceRunsOneGenerationPerRequest() throws Exception {
        assertEquals("v1+v1", requestAcrossApply(true), "the request in flight at the apply runs one generation");
    }

    /** Control (passes): the same worker started by server code directly is held in v1 by the rule. */
    @Test
    @Timeout(60)
    void controlAWorkerStartedByServerCodeRunsOneGenerationPerRequest() throws Exception {
        assertEquals("v1+v1", requestAcrossApply(false), "the request in flight at the apply runs one generation");
    }

    private static String requestAcrossApply(boolean startedByApplication) throws Exception {
        Patch v2 = TestPatches.greeterV2();
        TwoCalls handler = new TwoCalls();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<String> answer = new AtomicReference<>();
        Runnable serverLoop = () -> answer.set(handler.handle(() -> {
            inside.countDown();
            try {
                go.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Thread worker = startedByApplication ? Launcher.thread(serverLoop, "worker-started-by-app")
            : new Thread(serverLoop, "worker-started-by-server");
        worker.start();
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        LivePatch.apply(v2, Strategy.LOCAL);
        go.countDown();
        worker.join(10_000);
        System.out.println("[review] started by application=" + startedByApplication + ": request answered " + answer.get());
        return answer.get();
    }
}
