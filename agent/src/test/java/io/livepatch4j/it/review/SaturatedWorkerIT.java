package io.livepatch4j.it.review;

import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.StatusJson;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.review.app.TwoCalls;
import io.livepatch4j.it.support.BackToLoadedCode;
import io.livepatch4j.it.support.TestPatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Promise broken: DESIGN.md / docs/agent.md "Generations and transitions" step 4: "units of work that
 * start from now run [the new generation]"; the general rule: "a unit in a new call starts afresh",
 * and the transition waits for a thread in an application call only until it has left it.
 *
 * <p>A worker of a server the agent does not know (this class is server code) drains a backlog:
 * it calls the application's handler again and again, each request 20 ms, with no wait in server code
 * between them (a saturated thread-per-request pool). A patch is applied while one request is in
 * flight. Expected: that request finishes in v1, the next ones run v2, the transition completes in
 * well under a second. Observed: the application call's key is (depth, method), identical for every
 * request of the loop, so AppCalls.decide takes each new request for "the same call" and pins the
 * older generation; the record is cleared only when the monitor's stack look catches the thread in
 * server code between two requests, which a saturated worker never is. Every new request runs v1 for
 * as long as the backlog lasts, and the transition never completes.
 */
@ExtendWith(BackToLoadedCode.class)
@org.junit.jupiter.api.Disabled("open, a limit of the general rule written down in docs/agent.md: a worker that goes from one "
    + "request straight to the next is never seen between them, and its requests share one frame key, so it keeps the "
    + "older generation (consistently) until a look catches it idle")
class SaturatedWorkerIT {

    @Test
    @Timeout(90)
    void requestsThatBeginAfterTheApplyRunTheNewCodeOnASaturatedWorker() throws Exception {
        TwoCalls handler = new TwoCalls();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> answers = new CopyOnWriteArrayList<>();
        Thread worker = new Thread(() -> {
            while (running.get()) {
                answers.add(handler.handle(() -> LockSupport.parkNanos(20_000_000L)));
            }
        }, "saturated-worker");
        worker.start();
        Thread.sleep(200);
        LivePatch.apply(TestPatches.greeterV2(), Strategy.LOCAL);
        int atApply = answers.size();
        boolean completed = LivePatch.awaitTransition(Duration.ofSeconds(5));
        String status = StatusJson.of(LivePatch.status());
        int after = answers.size();
        List<String> sinceApply = List.copyOf(answers.subList(atApply, after));
        running.set(false);
        worker.join(10_000);
        long v2 = sinceApply.stream().filter("v2+v2"::equals).count();
        System.out.println("[review] " + sinceApply.size() + " requests after the apply, " + v2 + " ran v2; completed="
            + completed);
        assertTrue(sinceApply.size() > 50, "the worker kept serving: " + sinceApply.size());
        assertTrue(v2 >= sinceApply.size() - 2, "requests begun after the apply run v2, not v1: " + sinceApply.size()
            + " requests, " + v2 + " in v2");
        assertTrue(completed, "the transition completes once the request in flight ended: " + status);
    }
}
