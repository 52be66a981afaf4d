package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.DispatchSite;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.ThreadState;
import io.livepatch4j.agent.bootstrap.Unit;
import io.livepatch4j.agent.bootstrap.UnitKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Builds a {@link Status} from the patcher's state. */
final class StatusReport {

    private static final int STACK_DEPTH = 24;
    /**
     * Status lists G0, every generation that is current, in transition or live, and the most recent
     * ones of the others (retired, aborted); older ones are left out.
     */
    static final int RECENT_GENERATIONS = 32;

    private StatusReport() {}

    static Status of(Patcher patcher) {
        Lifecycle.View view = patcher.view();
        Generation current = view.current();
        List<Status.GenerationStatus> generations = new ArrayList<>();
        List<Lifecycle.GenerationView> all = view.generations();
        for (int i = 0; i < all.size(); i++) {
            Lifecycle.GenerationView g = all.get(i);
            GenerationRecord r = g.record();
            boolean past = g.state() == GenerationRecord.State.RETIRED || g.state() == GenerationRecord.State.ABORTED;
            if (past && r.generation.number() != 0 && i < all.size() - RECENT_GENERATIONS) {
                continue; // a JVM patched thousands of times keeps a status of bounded size
            }
            generations.add(new Status.GenerationStatus(r.generation.number(), r.label, r.patchId,
                g.state().name().toLowerCase(Locale.ROOT), r.strategy.word(), r.createdAt.toString(), r.classes,
                g.transitionNanos() < 0 ? null : Double.valueOf(g.transitionNanos() / 1e6), r.includes.patches(), r.includes.versions()));
        }
        long stragglerNanos = patcher.options().stragglerMillis() * 1_000_000L;
        Transition t = view.transition();
        Status.TransitionStatus ts = null;
        Set<ThreadState> behind = new java.util.HashSet<>();
        if (t != null) {
            // A drain's remaining work: the units of the refused patch that still run (Transition#drain).
            List<Transition.Behind> remaining = switch (view.transitionState()) {
                case RUNNING -> t.remaining();
                case DRAINING -> t.drainingFor();
                default -> List.of();
            };
            List<Status.ThreadStatus> rem = remaining(t, remaining, stragglerNanos, true, behind);
            ts = new Status.TransitionStatus(t.source().number(), t.target().number(), t.strategy().word(),
                view.transitionState().name().toLowerCase(Locale.ROOT), t.elapsedNanos() / 1e6, t.threadsToMove(),
                t.threadsMoved(),
                remaining.size(), rem);
        }
        List<Status.ClassStatus> classes = new ArrayList<>();
        for (HostClass h : patcher.hosts().values()) {
            ClassVersion v = Lifecycle.versionIn(current, h);
            // Guard off: calls run the class's own bodies, whatever the sites hold.
            String dispatch = "unpatched";
            if (h.runtime.patched()) {
                dispatch = "direct";
                for (DispatchSite s : h.runtime.sites()) {
                    if (s.mode() == DispatchSite.Mode.SELECTING) {
                        dispatch = "selecting";
                        break;
                    }
                }
            }
            if (h.bodyVersion != 0) {
                dispatch = "redefined";
            }
            classes.add(new Status.ClassStatus(h.name(), v.number(), v.builtSha256(), dispatch, h.runtime.patched()));
        }
        List<Status.ThreadStatus> busy = new ArrayList<>();
        for (ThreadState s : ThreadState.all()) {
            if (s.thread().isAlive() && s.generation() != null) {
                busy.add(thread(s, behind.contains(s), stragglerNanos, true));
            }
        }
        return new Status(Agent.version(), patcher.mode(), patcher.trust(), current.number(), generations, ts, classes, busy);
    }

    /**
     * What the transition waits for, as status shows it. Stragglers carry their stack only if
     * {@code stacks} (taking one is a safepoint on JDK 17). Adds the states of threads in units of
     * older code to {@code behind}.
     */
    static List<Status.ThreadStatus> remaining(Transition t, List<Transition.Behind> remaining, long stragglerNanos,
                                               boolean stacks, Set<ThreadState> behind) {
        List<Status.ThreadStatus> rem = new ArrayList<>();
        List<Unit> carriedUnits = new ArrayList<>();
        remaining.stream().filter(b -> b.thread() == null).forEach(b -> carriedUnits.add(b.unit()));
        Map<Unit, List<String>> holders = Unit.carriers(carriedUnits, 3);
        for (Transition.Behind b : remaining) {
            if (b.thread() == null) {
                rem.add(carried(b.unit(), holders.get(b.unit()), stragglerNanos));
            } else if (b.state() != null && b.state().generation() != null) {
                behind.add(b.state());
                rem.add(thread(b.state(), true, stragglerNanos, stacks));
            } else if (b.why() == Transition.Why.APP_CALL) {
                rem.add(inApplicationCall(b.thread(), b.state(), t, stragglerNanos, stacks));
            } else {
                rem.add(outside(b.thread(), t, stragglerNanos, stacks));
            }
        }
        return rem;
    }

    /** A unit of work that no thread runs now, held open by tasks or a request not finished yet. */
    private static Status.ThreadStatus carried(Unit u, List<String> by, long stragglerNanos) {
        long open = System.nanoTime() - u.startNanos();
        return new Status.ThreadStatus("(work carried from a unit of work (" + u.kind().description() + "): " + u.carried()
            + " task(s) or request(s) not finished" + (by.isEmpty() ? "" : ": " + String.join(", ", by)) + ")", -1,
            u.kind().description(), u.generation().number(), open / 1e6, open > stragglerNanos, false, List.of());
    }

    /** A thread with no unit of work, inside a class in transition since before the transition began. */
    private static Status.ThreadStatus outside(Thread thread, Transition t, long stragglerNanos, boolean stacks) {
        long inside = t.elapsedNanos();
        boolean straggler = inside > stragglerNanos;
        Generation since = t.untrackedSince();
        return new Status.ThreadStatus(thread.getName(), thread.getId(),
            "none: inside a patched class since before the transition", since == null ? -1 : since.number(),
            inside / 1e6, straggler, true, straggler && stacks ? stack(thread) : List.of());
    }

    /**
     * A thread between units inside an application call that may run older code (the general rule):
     * it recorded the call's generation, or was found inside the call when the transition began.
     */
    private static Status.ThreadStatus inApplicationCall(Thread thread, ThreadState s, Transition t, long stragglerNanos,
                                                         boolean stacks) {
        long inside = t.elapsedNanos();
        boolean straggler = inside > stragglerNanos;
        Generation recorded = s == null ? null : s.appCallGeneration();
        Generation g = recorded != null ? recorded : t.untrackedSince();
        String kind = UnitKind.APPLICATION_CALL.description()
            + (recorded != null ? ", between its units" : ", begun before the transition");
        return new Status.ThreadStatus(thread.getName(), thread.getId(), kind, g == null ? -1 : g.number(),
            inside / 1e6, straggler, true, straggler && stacks ? stack(thread) : List.of());
    }

    /** "an executor task", "a fork/join task". */
    static String withArticle(UnitKind k) {
        String d = k.description();
        return ("aeiou".indexOf(Character.toLowerCase(d.charAt(0))) >= 0 ? "an " : "a ") + d;
    }

    private static List<String> stack(Thread thread) {
        List<String> frames = new ArrayList<>();
        StackTraceElement[] trace = thread.getStackTrace();
        for (int i = 0; i < trace.length && i < STACK_DEPTH; i++) {
            frames.add(trace[i].toString());
        }
        if (trace.length > STACK_DEPTH) {
            frames.add("... " + (trace.length - STACK_DEPTH) + " more");
        }
        return frames;
    }

    private static Status.ThreadStatus thread(ThreadState s, boolean behind, long stragglerNanos, boolean stacks) {
        Generation g = s.generation();
        long start = s.unitStartNanos();
        long inUnit = g == null ? 0 : System.nanoTime() - start;
        boolean straggler = behind && inUnit > stragglerNanos;
        List<String> stack = List.of();
        if (stacks && (straggler || (behind && s.lingering()))) {
            stack = stack(s.thread());
        }
        UnitKind k = s.kind(); // read once: the owner thread changes them
        UnitKind via = s.via();
        String kind = k == null ? "none" : k.description() + (via == null ? "" : " (carried into " + withArticle(via) + ")");
        return new Status.ThreadStatus(s.thread().getName(), s.thread().getId(), kind, g == null ? -1 : g.number(),
            inUnit / 1e6, straggler, s.lingering(), stack);
    }
}
