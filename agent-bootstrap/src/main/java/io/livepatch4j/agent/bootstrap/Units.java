package io.livepatch4j.agent.bootstrap;

/**
 * Units of work and quiescence points. A thread pins a generation when it enters its outermost unit
 * of work and lets go of it when it leaves (its quiescence point); in between, every patched method
 * it calls runs that generation's code. The instrumentation of executors, servers and configured
 * methods calls {@link #enter}/{@link #exit}; {@link Dispatch} begins an implicit unit when a
 * patched class is entered outside any other.
 *
 * <p>Everything here runs on the application thread and touches only that thread's
 * {@link ThreadState}, except the volatile announcements described in {@link Generations}.
 */
public final class Units {

    private Units() {}

    /** The start of a unit of work of this kind; nested units join the outermost one. */
    public static void enter(UnitKind kind) {
        ThreadState t = ThreadState.current();
        if (t.depth++ == 0 && t.implicitDepth == 0) {
            begin(t, kind, Walk.KNOWN_UNIT);
        }
    }

    /** The end of the unit {@link #enter} began. */
    public static void exit() {
        ThreadState t = ThreadState.current();
        if (t.depth <= 0) {
            t.depth = 0; // the unit began before the agent instrumented it; nothing was pinned
            return;
        }
        if (--t.depth == 0 && t.implicitDepth == 0) {
            UnitKind kind = t.kind;
            end(t);
            if (kind == UnitKind.VIRTUAL_THREAD) {
                t.unregister();
            }
        }
    }

    /**
     * ThreadPoolExecutor.beforeExecute returned for {@code task} on {@code executor}: the task's unit
     * begins (the unit it was carried from, if any). Workers that were already running when the agent
     * attached stay in their old runWorker frame, which never calls the agent's task hook; this pair
     * gives them units.
     * A subclass may override afterExecute without calling super, so the unit also ends when the
     * worker next asks for a task ({@link #exitHooked} from getTask), and it is ended at most once.
     */
    public static void enterHooked(Object task, Object executor) {
        ThreadState t = ThreadState.current();
        if (t.hooked == null) {
            Object token = enterTask(task, UnitKind.EXECUTOR_TASK, executor);
            t.hooked = token == null ? RUNNER_RUN : token;
            t.hookedTask = task;
        }
    }

    /**
     * The hooked run's token when its task is a runner (QueueRunner#taken), whose run is no unit:
     * the worker loop's own run of the same task, which follows, begins none either (a marked task's
     * mark is taken once, by the hook; review 34c saw the loop's run make Jetty's selector a unit).
     */
    private static final Object RUNNER_RUN = new Object();

    /** ThreadPoolExecutor.afterExecute, or getTask: the unit {@link #enterHooked} began ends, once. */
    public static void exitHooked() {
        ThreadState t = ThreadState.current();
        Object token = t.hooked;
        if (token != null) {
            t.hooked = null;
            t.hookedTask = null;
            exitTask(token);
        }
    }

    // ---- work that carries a unit from the thread that started it to the one that runs it ----

    /** The token of a task that began a unit of its own (nothing carried). */
    private static final Object OWN_UNIT = new Object();

    /**
     * A task (an executor task, a fork/join task, a virtual thread) is created or submitted: if the
     * calling thread is inside a unit of work, the task carries it, so whichever thread runs the task
     * runs that unit's generation, and the unit stays open until the task has run (or is dropped and
     * collected). The same object submitted twice carries a hold for each submission.
     */
    public static void capture(Object task) {
        captureBy(ThreadState.current(), task);
    }

    private static void captureBy(ThreadState t, Object task) {
        Unit u = t.unit;
        if (u == null || task == null) {
            return;
        }
        carry(task, u, null);
    }

    /**
     * {@code task} holds {@code u}, submitted to {@code executor} (null if its runs cannot say which
     * executor runs them, see {@link Carriers#take}): the hold, then its carrier entry, the hold
     * undone if the entry fails (a StackOverflowError deep in the caller's stack): a hold without an
     * entry could never be released, and an entry without a hold would be released twice.
     */
    static void carry(Object task, Unit u, Object executor) {
        carry(task, u, executor, null);
    }

    /** As {@link #carry(Object, Unit, Object)}, the hold followed by {@code ticket} (a submission's, see Carriers.Ticket). */
    static void carry(Object task, Unit u, Object executor, Carriers.Ticket ticket) {
        u.holdDetached();
        try {
            Carriers.TASKS.put(task, u, executor, ticket);
        } catch (Throwable e) {
            u.releaseDetached();
            throw e;
        }
    }

    /**
     * {@code task} will not run as a task (Netty's executor rejected it, a FutureTask was cancelled, a
     * ThreadPoolExecutor's queue gave it up): it releases the unit its oldest submission to
     * {@code executor} carried (null: an executor whose runs cannot say which they are), as a run
     * there would have taken it.
     */
    public static void rejected(Object task, Object executor) {
        Unit u = task == null ? null : Carriers.TASKS.take(task, executor);
        if (u != null) {
            u.releaseDetached();
        }
    }

    /**
     * ThreadPoolExecutor.shutdownNow returned the tasks it drained from its queue: they will never run
     * as this executor's tasks, so, as a rejected task, each releases the unit it carried now rather
     * than when it is collected. Waiting for the collector stalled transitions: gRPC queues a call's
     * last callback (its listener's onComplete) on the call executor, inside the call's unit when the
     * in-process transport closes it, and a call executor shut down with shutdownNow before that ran
     * kept the call's unit open until a GC that a quiet JVM may not run for a long time (docs/agent.md,
     * "gRPC and shutdownNow").
     *
     * <p>Why once and only once: the queue hands each queued submission to exactly one of a worker's
     * poll/take or drainQueue, so no worker's {@link #enterHooked}/{@link #enterTask} will take the
     * hold of a drained submission; and execute, racing with the shutdown, rejects (and so releases)
     * its task only if its own queue.remove wins over drainQueue, so never one that is drained. An
     * object queued twice gives up one hold per copy drained; {@link Carriers#take} gives the oldest
     * of its submissions to this executor, as for a run, so a copy a worker dequeued just before may
     * run in the later submission's unit: one unit, one generation, and the counts stay right.
     * Whoever holds the returned list may still run or resubmit a task: inline in its own unit, or
     * carrying the unit it is resubmitted from, as for a rejected task.
     */
    public static void drained(java.util.List<?> tasks, Object executor) {
        if (tasks == null) {
            return;
        }
        for (Object task : tasks) {
            rejected(task, executor);
        }
    }

    /**
     * A thread begins to run {@code task}: in the unit the task carries if it carries one (nested
     * units see the carried generation until the task ends, then the thread's own again), else in a
     * new unit of {@code kind} (joining the thread's unit if it is in one). Returns the token for
     * {@link #exitTask}.
     */
    public static Object enterTask(Object task, UnitKind kind) {
        return enterTask(task, kind, null);
    }

    /** As {@link #enterTask(Object, UnitKind)}, for a run on {@code executor}, which takes the hold of its own submission there. */
    public static Object enterTask(Object task, UnitKind kind, Object executor) {
        ThreadState t = ThreadState.current();
        if (task != null && (QueueRunner.taken(task) || (task == t.hookedTask && t.hooked == RUNNER_RUN))) {
            return null; // no unit: each task it runs is one (ExecutorHooks.runQueued)
        }
        // The worker loop runs a task between beforeExecute and afterExecute: the hook already took
        // what this run of the task carries (a second hold would be a second submission's).
        Unit carried = task == null || task == t.hookedTask ? null : Carriers.TASKS.take(task, executor);
        // Work registered in a unit (a dependent stage, a delayed task) runs in that unit while it is
        // open, even if another unit submitted it when it became due (the thread completing a stage).
        Unit registered = task == null ? null : Carriers.JOINS.peek(task);
        Object joined = registered == null || registered == carried ? null : tryJoin(t, registered, kind);
        if (joined != null) {
            if (carried != null) {
                carried.releaseDetached();
            }
            return joined;
        }
        if (carried == null) {
            enter(kind);
            return OWN_UNIT;
        }
        Object token = join(t, carried, kind);
        carried.detachedHoldTaken(); // after the thread's announcement in join
        return token;
    }

    /**
     * Work is registered inside the calling thread's unit to run later (a CompletableFuture dependent
     * stage, a delayed or periodic scheduled task, a timer task): when it runs, it joins that unit if
     * the unit is still open, and begins its own otherwise. It never keeps the unit open.
     */
    public static void register(Object work) {
        Unit u = ThreadState.current().unit;
        if (u != null && work != null) {
            Carriers.JOINS.name(work, u);
        }
    }

    /**
     * Registered work runs inline on the calling thread (a dependent stage fired by the thread that
     * completed the stage before it): in the unit it was registered in while that is open, else as
     * a unit of {@code kind} (joining the thread's own unit if it is in one). Returns the token for
     * {@link #exitTask}.
     */
    public static Object enterRegistered(Object work, UnitKind kind) {
        Unit registered = work == null ? null : Carriers.JOINS.peek(work);
        ThreadState t = ThreadState.current();
        Object joined = registered == null || t.unit == registered ? null : tryJoin(t, registered, kind);
        if (joined == null) {
            enter(kind);
            return OWN_UNIT;
        }
        return joined;
    }

    /**
     * A server runs work that may have been registered in a unit ({@link #register}): a callback of
     * a request run by the server's own invoker or event thread, among many tasks of its own. It
     * runs in the unit it was registered in while that is open; anything else runs as it would
     * without the agent (no unit begins here). Returns the token for {@link #exitTask}, or null.
     */
    public static Object joinRegistered(Object work, UnitKind kind) {
        Unit registered = work == null ? null : Carriers.JOINS.peek(work);
        ThreadState t = registered == null ? null : ThreadState.current();
        return t == null || t.unit == registered ? null : tryJoin(t, registered, kind);
    }

    /**
     * Joins {@code unit} if it is still open, or returns null. The thread announces the unit's
     * generation before it takes its hold: were it the other way round, the unit's last other holder
     * could release it in between, and for that moment the tooling would see the unit nowhere (not
     * in a thread's announcement, not among the open units) while this thread is about to run its
     * older code. A join that fails takes the announcement back (for that moment the tooling saw an
     * older generation than needed: harmless).
     */
    private static Object tryJoin(ThreadState t, Unit unit, UnitKind via) {
        Joined saved = join(t, unit, via);
        if (unit.tryHoldByThread()) {
            return saved;
        }
        saved.restore(t);
        return null;
    }

    /**
     * The thread runs in {@code unit}, which it already holds, until {@link #exitTask}: nested units
     * see the unit's generation, and the thread's own unit (if any) comes back afterwards.
     */
    private static Joined join(ThreadState t, Unit unit, UnitKind via) {
        if (t.unit == null && Generations.tracking()) {
            provesNothingOlderBelow(t);
        }
        // The thread's own unit, which only it may hold, stays visible while it runs the other one.
        Unit own = t.unit;
        Unit aside = own != null && own != unit && t.generation != null ? own : null;
        if (aside != null) {
            aside.holdAside();
        }
        Joined saved = new Joined(t, aside);
        t.unit = unit;
        t.kind = unit.kind;
        t.via = via == unit.kind ? null : via;
        t.unitStartNanos = System.nanoTime();
        t.lingering = false;
        t.depth = 1;
        t.implicitDepth = 0;
        t.generation = unit.generation; // announced before the caller gives up any other hold
        return saved;
    }

    /** The task {@link #enterTask} began has ended. */
    public static void exitTask(Object token) {
        if (token == OWN_UNIT) {
            exit();
            return;
        }
        if (!(token instanceof Joined saved)) {
            return;
        }
        ThreadState t = ThreadState.current();
        Unit carried = t.unit;
        saved.restore(t);
        if (carried != null) {
            carried.release();
        }
    }

    /**
     * A thread outside every unit (a serial queue's runner, a pool's worker) is about to run a task in
     * the unit the task carries: what a unit that began here would find out with its walks, it finds
     * out now. If its stack holds no frame of a changed method entered before the transition, it
     * leaves the threads that must walk; if no application call lies around the task, it leaves the
     * app walkers (see AppCalls). The tooling would not find either out by looking, since it does not
     * look at threads inside units, and a runner that goes from task to task under load is always
     * inside one: it would hold the transition until its queue ran dry.
     */
    private static void provesNothingOlderBelow(ThreadState t) {
        if (Generations.untrackedSince() != null && Generations.mustWalk(t.thread)
            && !Stacks.untrackedFrameBelow(Generations.tracked(), false)) {
            Generations.walked(t.thread);
        }
        if (Generations.mayBeAppWalker(t.thread) && AppCalls.enclosingCall(false) == null) {
            AppCalls.outside(t);
        }
    }

    /** What a thread was doing before it joined a carried unit, restored when the task ends. */
    private static final class Joined {
        private final Unit unit;
        private final Generation generation;
        private final UnitKind kind;
        private final UnitKind via;
        private final long unitStartNanos;
        private final boolean lingering;
        private final int depth;
        private final int implicitDepth;
        /** The thread's own unit, held aside while it runs the joined one (see Unit#holdAside), or null. */
        private final Unit aside;

        Joined(ThreadState t, Unit aside) {
            this.aside = aside;
            unit = t.unit;
            generation = t.generation;
            kind = t.kind;
            via = t.via;
            unitStartNanos = t.unitStartNanos;
            lingering = t.lingering;
            depth = t.depth;
            implicitDepth = t.implicitDepth;
        }

        /** Back to the thread's own unit: announced again before its aside hold ends. */
        void restore(ThreadState t) {
            t.kind = kind;
            t.via = via;
            t.unitStartNanos = unitStartNanos;
            t.lingering = lingering;
            t.depth = depth;
            t.implicitDepth = implicitDepth;
            t.unit = unit;
            t.generation = generation;
            if (aside != null) {
                aside.release();
            }
        }
    }

    /**
     * A request begins inside the calling thread's unit and completes later, perhaps on another
     * thread ({@link #requestDone}): the unit stays open until then, so everything the request does
     * runs one generation and the transition waits for it.
     */
    public static void requestOpened(Object request) {
        ThreadState t = ThreadState.current();
        Unit u = t.unit;
        if (u == null || request == null) {
            return;
        }
        u.holdDetached();
        Carriers.REQUESTS.put(request, u);
    }

    /**
     * A thread begins work for {@code request} that is not the request's start: a later event of it
     * (the next chunk of its body on an event loop, an async dispatch back into the servlet). It runs
     * in the request's unit while that is open (its response not complete), else in a new unit of
     * {@code kind} (joining the thread's unit if it is in one). Returns the token for {@link #exitTask}.
     */
    public static Object enterRequest(Object request, UnitKind kind) {
        Unit open = request == null ? null : Carriers.REQUESTS.peek(request);
        ThreadState t = ThreadState.current();
        Object joined = open == null || t.unit == open ? null : tryJoin(t, open, kind);
        if (joined == null) {
            enter(kind);
            return OWN_UNIT;
        }
        return joined;
    }

    /**
     * Whether {@code request} holds a unit open ({@link #requestOpened} and not {@link #requestDone}
     * yet). For a server whose entry point runs again for later events of the same request (Undertow's
     * executeRootHandler after a dispatch): only its first run opens the request. Read-only.
     */
    public static boolean requestOpen(Object request) {
        return request != null && Carriers.REQUESTS.peek(request) != null;
    }

    /** The request's response is complete: its unit's hold ends (the unit ends once nothing else holds it). */
    public static void requestDone(Object request) {
        Unit u = request == null ? null : Carriers.REQUESTS.take(request);
        if (u != null) {
            u.releaseDetached();
        }
    }

    /**
     * A unit of its own begins, even inside another unit: work whose lifetime is its own though a
     * transport's event or task starts it (a request decoded from a read on an event loop, a server
     * call started by a transport's task). It runs the generation of the unit the thread is in, if
     * any (the frames below run that one, and the thread must never run two), else it pins one as
     * {@link #enter} does. The enclosing unit comes back at {@link #exitTask}; the new one ends then
     * unless something ({@link #requestOpened}) holds it open.
     *
     * <p>Ordering: the thread's announced generation does not change, so the tooling sees this unit's
     * generation through the thread while the thread runs in it, as it saw the enclosing one; the new
     * unit reaches {@link Unit#open()} only through {@link Unit#holdDetached}, called by this thread
     * while still inside it, so it is never invisible to a transition (see Unit).
     */
    public static Object enterOwn(UnitKind kind) {
        ThreadState t = ThreadState.current();
        if (t.generation == null || t.unit == null) {
            enter(kind);
            return OWN_UNIT;
        }
        Joined saved = new Joined(t, null); // same generation: the outer unit needs no aside hold
        long now = System.nanoTime();
        t.unit = new Unit(t.generation, kind, now); // same generation: no new announcement to make
        t.kind = kind;
        t.unitStartNanos = now;
        t.depth = 1;
        t.implicitDepth = 0;
        return saved;
    }

    /**
     * A request begins: {@link #enterOwn} a unit of {@code kind} that {@code request} holds open until
     * {@link #requestDone}, unless the thread already runs in the unit {@code request} holds (the same
     * request seen again further along, by the next handler). Returns the token for {@link #exitTask}.
     */
    public static Object openRequest(Object request, UnitKind kind) {
        ThreadState t = ThreadState.current();
        Unit open = request == null ? null : Carriers.REQUESTS.peek(request);
        if (open != null && open == t.unit) {
            return null;
        }
        Object token = enterOwn(kind);
        requestOpened(request);
        return token;
    }

    /** Whatever {@code request} still holds open ends (a connection closed with responses pending). */
    public static void requestsClosed(Object request) {
        Unit u;
        while (request != null && (u = Carriers.REQUESTS.take(request)) != null) {
            u.releaseDetached();
        }
    }

    /** Releases the holds of tasks and requests that were dropped and collected. For the tooling. */
    public static void expungeDropped() {
        Carriers.expungeAll();
    }

    /**
     * {@code Quiescence.point()}: the thread's outermost unit of work ends here and a new one of the
     * same kind begins, so a long-running loop moves to the newest generation between iterations.
     */
    public static void point() {
        ThreadState t = ThreadState.current();
        if (t.generation == null) {
            return;
        }
        UnitKind kind = t.kind;
        end(t);
        begin(t, kind, Walk.NONE);
    }

    /** Whether the calling thread is inside a unit of work. */
    public static boolean inUnit() {
        return ThreadState.current().generation != null;
    }

    /** {@code Quiescence.generation()}: the generation the calling thread runs. */
    public static long generation() {
        Generation g = ThreadState.current().generation;
        return (g != null ? g : Generations.current()).number();
    }

    // ---- implicit units, begun by Dispatch while a transition tracks the class ----

    /**
     * A call into a class in transition by a thread outside every unit of work: this call is the
     * unit. If the thread is already inside a frame of a tracked class (it entered before the
     * transition began, so no dispatch saw it), that frame runs older code, and so must this call.
     */
    static void enterImplicit() {
        ThreadState t = ThreadState.current();
        if (t.implicitDepth++ > 0 || t.depth > 0) {
            return;
        }
        begin(t, UnitKind.OUTERMOST_CALL, Walk.IMPLICIT_UNIT);
    }

    static void exitImplicit() {
        ThreadState t = ThreadState.current();
        if (--t.implicitDepth == 0 && t.depth == 0) {
            end(t);
        }
    }

    /**
     * Runs {@code work} as a unit of work pinned to {@code g}, which need not be published yet: the
     * agent runs a patch's static initializers this way between switching the classes' sites to
     * select per thread and publishing the generation, so this thread alone runs the new code.
     * Refused inside a unit of work (the thread would run two generations).
     */
    public static <T> T callIn(Generation g, java.util.concurrent.Callable<T> work) throws Exception {
        ThreadState t = ThreadState.current();
        if (t.depth > 0 || t.implicitDepth > 0 || t.generation != null) {
            throw new IllegalStateException("livepatch4j: a patch's initializers and callbacks cannot run inside a unit "
                + "of work; apply or roll back from a thread that is not serving a request");
        }
        t.depth++;
        t.kind = UnitKind.PATCH_LIFECYCLE;
        t.unitStartNanos = System.nanoTime();
        t.generation = g;
        t.unit = new Unit(g, t.kind, t.unitStartNanos);
        try {
            return work.call();
        } finally {
            t.depth--;
            end(t);
        }
    }

    // ---- pinning ----

    /**
     * Whether to look for untracked frames below a unit that begins: an implicit unit's own first
     * tracked frame is the dispatching method; a known unit has none of its own; a quiescence point
     * declares that the frames below it do not matter.
     */
    private enum Walk { IMPLICIT_UNIT, KNOWN_UNIT, NONE }

    /**
     * Pins a generation for the unit of work the thread begins: the current one, or, while a
     * transition tracks classes and the thread's own stack holds a frame of one that no dispatch
     * saw (it began before the transition), the generation that frame runs ({@code untrackedSince}).
     *
     * <p>The decision rests on three values the tooling writes: {@code current}, {@code untrackedSince}
     * and the barrier. The thread announces its pin, then reads them again; if either generation
     * changed, a transition started or finished meanwhile and the decision, stack walk included, is
     * made again (a retry that only re-read {@code current} once pinned new code under an older frame).
     * The walk looks for frames of changed methods only: {@link Stacks#untrackedFrameBelow}.
     * With volatile accesses on both sides, either the tooling sees the announcement or the thread
     * sees the tooling's write (see {@link Generations}).
     */
    private static void begin(ThreadState t, UnitKind kind, Walk walk) {
        for (;;) {
            t.kind = kind;
            t.unitStartNanos = System.nanoTime();
            Generation since = Generations.untrackedSince();
            Generation current = Generations.current();
            boolean inside = false;
            if (since != null && walk != Walk.NONE && Generations.mustWalk(t.thread)) {
                inside = Stacks.untrackedFrameBelow(Generations.tracked(), walk == Walk.IMPLICIT_UNIT);
                if (!inside) {
                    Generations.walked(t.thread);
                }
            }
            Generation pinned = inside ? since : current;
            Generation inCall = null;
            if (!inside && Generations.tracking()) {
                inCall = applicationCall(t, walk, since, current);
                if (inCall == RETRY) {
                    continue;
                }
                if (inCall != null) {
                    pinned = inCall;
                    if (kind == UnitKind.OUTERMOST_CALL) {
                        t.kind = UnitKind.APPLICATION_CALL;
                    }
                }
            }
            t.lingering = inside;
            t.generation = pinned;
            // The global barrier holds back units that would start on new ground. A unit above an
            // old frame, or inside an application call that was let through (one that began before
            // the barrier, or waited at it: see applicationCall), continues work already in flight
            // (the global strategy waits for it), so it does not wait: waiting there could hold the
            // barrier up until it timed out.
            if (!inside && inCall == null && Generations.barrierRaised()) {
                t.generation = null;
                Generations.awaitBarrier(t);
                continue;
            }
            if (Generations.untrackedSince() == since && Generations.current() == current) {
                t.unit = new Unit(t.generation, t.kind, t.unitStartNanos);
                return;
            }
        }
    }

    /** {@link #applicationCall}'s answer when the thread's record changed under it: decide again. */
    private static final Generation RETRY = new Generation(-1, "decide again", new ClassVersion[0]);

    /**
     * The general rule ({@link AppCalls}), while a transition tracks classes: the generation of the
     * application call that encloses the unit beginning now, or null if none does (the unit pins as
     * usual). Known units look too (one stack walk each while a transition runs): one nested in an
     * application call must run, and record, the call's generation, or a reversal of the transition
     * would find the call unrecorded. A quiescence point ends the thread's call.
     */
    private static Generation applicationCall(ThreadState t, Walk walk, Generation since, Generation current) {
        if (walk == Walk.NONE) {
            AppCalls.outside(t);
            return null;
        }
        String call = AppCalls.enclosingCall(walk == Walk.IMPLICIT_UNIT);
        if (call == null) {
            AppCalls.outside(t);
            return null;
        }
        Generation g = AppCalls.decide(t, call, since, current);
        if (g == AppCalls.AWAIT_BARRIER) {
            // A call that begins now, while the global strategy holds new work back: it waits like
            // any unit that would start on new ground, and records nothing until it is let through.
            Generations.awaitBarrier(t);
            return RETRY;
        }
        return g == null ? RETRY : g;
    }

    /** The quiescence point: the thread holds no patched frames of its last unit any more. */
    private static void end(ThreadState t) {
        Generation g = t.generation;
        Unit u = t.unit;
        t.generation = null;
        t.unit = null;
        t.kind = null;
        t.via = null;
        t.lingering = false;
        if (u != null) {
            u.release();
        }
        TransitionListener l = Generations.listener();
        if (l != null && g != null) {
            l.quiescent(t.thread, g);
        }
    }
}
