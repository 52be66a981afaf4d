package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ThreadState;
import io.livepatch4j.agent.tooling.events.PatchEvents;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Records a JFR Straggler event for each thread (or carried unit) that becomes a straggler of one
 * transition, once. Run by the transition's monitor thread only; it looks at most every 100 ms, and
 * only while a recording has the event on, so a JVM that records nothing pays one time check a loop.
 * It reads no stacks: taking a stack is a safepoint on JDK 17, and status takes them when asked.
 */
final class StragglerEvents {

    private static final long LOOK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Set<String> recorded = new HashSet<>();
    private long nextLook = System.nanoTime();

    void look(Transition t, long stragglerMillis) {
        long now = System.nanoTime();
        if (now - nextLook < 0) {
            return;
        }
        nextLook = now + LOOK_EVERY_NANOS;
        if (!new PatchEvents.Straggler().isEnabled()) {
            return;
        }
        List<Transition.Behind> behind = t.remaining();
        List<Status.ThreadStatus> statuses = StatusReport.remaining(t, behind,
            TimeUnit.MILLISECONDS.toNanos(stragglerMillis), false, new HashSet<ThreadState>());
        for (int i = 0; i < statuses.size(); i++) { // one status for each Behind, in its order
            Status.ThreadStatus s = statuses.get(i);
            // A carried unit has no thread; its name counts its tasks, which change, so its kind names it.
            if (!s.straggler() || !recorded.add(s.id() >= 0 ? "#" + s.id() : s.unitKind() + " G" + s.generation())) {
                continue;
            }
            PatchEvents.Straggler e = new PatchEvents.Straggler();
            e.stragglerThread = behind.get(i).thread();
            e.threadName = s.name();
            e.threadId = s.id();
            e.unitKind = s.unitKind();
            e.heldGeneration = s.generation();
            e.generation = t.target().number();
            e.heldMillis = Math.round(s.inUnitMillis());
            e.commit();
        }
    }
}
