package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.AppCalls;
import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.DispatchSite;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.ThreadState;
import io.livepatch4j.agent.bootstrap.TransitionListener;
import io.livepatch4j.agent.bootstrap.Unit;
import io.livepatch4j.agent.bootstrap.Units;
import io.livepatch4j.agent.tooling.events.PatchEvents;
import io.livepatch4j.patch.PatchException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One transition to a target generation. Modelled on Linux livepatch's transition.c: small steps
 * named by their verb, each saying what holds before and after it.
 *
 * <pre>
 *   start()        local: sites select per thread, classes tracked, guards on, target published
 *   tryComplete()  the monitor thread, woken at quiescence points: is any thread or frame still behind?
 *   complete()     sites call the target directly (or the guard goes off), tracking stops
 *   supersede()    a rollback while this runs: the next transition takes over (the reverse transition)
 *   runGlobal()    global: barrier, wait until nothing runs older code, switch everything, release
 * </pre>
 *
 * <p>Locking: every step that changes state ({@code start}, {@code complete}, {@code supersede},
 * {@code runGlobal}, {@code abort}) runs under {@link Lifecycle#lock}, and {@code state} is written
 * only there. Application threads never take that lock: they only add to {@code moved} (a concurrent
 * set) and wake the monitor. The monitor reads without the lock to decide whether to try, and takes
 * the lock to complete ({@link Lifecycle#tryComplete}), so a rollback and a completion never
 * interleave.
 */
final class Transition implements TransitionListener {

    /**
     * DRAINING: refused before it was published while work the patch's callbacks handed to other
     * threads still ran the target's code (see {@link #drain}); it ends ABORTED.
     */
    enum State { RUNNING, COMPLETE, SUPERSEDED, ABORTED, DRAINING }

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j.transition");

    private void debug(String what) {
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "transition to G" + target.number() + ": " + what);
        }
    }

    private final Generation source;
    private final Generation target;
    private final Strategy strategy;
    private final Set<HostClass> classes;
    private final Generation untrackedSince;
    private final Lifecycle lifecycle;
    private final ThreadStacks stacks;
    /** Each class in transition with the methods whose code untracked frames run differently from the target's. */
    private final Map<Class<?>, Set<String>> changed;
    /**
     * Threads that held a frame of a changed method when the transition began, in a unit of work or
     * not: such a frame runs older code until it returns, so the thread has not moved until a look at
     * its stack finds none (or it runs a unit of the target's code, which it began with a walk of its
     * own stack that found none). Linux livepatch checks each task's stack the same way.
     */
    private final Set<Thread> heldBack = ConcurrentHashMap.newKeySet();
    /** The classes whose guard this transition turned on (the global strategy turns them off again on abort). */
    private final Set<HostClass> guardedHere = new LinkedHashSet<>();
    private final long startNanos = System.nanoTime();
    /** The JFR span of this transition: begun here, committed when it completes, is superseded or aborts. */
    private final PatchEvents.Transition span = new PatchEvents.Transition();
    /** The monitor's alone: the stragglers it has recorded in JFR. */
    private final StragglerEvents stragglers = new StragglerEvents();
    private final Set<Long> moved = ConcurrentHashMap.newKeySet();
    private volatile int toMove;
    private volatile long endNanos;
    /** Written under Lifecycle.lock only; read anywhere (status, the monitor, await). */
    private volatile State state = State.RUNNING;
    private volatile Thread monitor;

    /**
     * @param untrackedSince the generation code runs in when a thread entered it before any
     *                       transition tracked its class (the generation before the first of a chain
     *                       of reversed transitions)
     */
    Transition(Generation source, Generation target, Strategy strategy, Set<HostClass> classes,
               Generation untrackedSince, ThreadStacks stacks, Lifecycle lifecycle) {
        this.stacks = stacks;
        this.source = source;
        this.target = target;
        this.strategy = strategy;
        this.classes = Set.copyOf(classes);
        this.untrackedSince = untrackedSince;
        this.lifecycle = lifecycle;
        this.changed = ChangedMethods.of(this.classes, untrackedSince, target);
        span.begin();
    }

    // ---- local ----

    /**
     * Under the lifecycle lock. Before: threads run older generations (pinned ones keep theirs); the
     * target's implementation classes are installed. After: units of work that start run the target;
     * the others run theirs to the end; the monitor watches for the last one (unless a test turned
     * it off with {@link Lifecycle#monitorThreads} and calls {@link Lifecycle#tryComplete} itself).
     */
    /**
     * What runs after the classes' sites select per thread and before the generation is published
     * (a patch's static initializers): it may refuse the patch, and the transition is then aborted
     * with nothing published.
     */
    interface BeforePublish {
        void run(Generation target) throws PatchException;
    }

    void start(BeforePublish before) throws PatchException {
        // 1-3. Sites select per thread, classes tracked, guards on (see selectTrackAndGuard).
        selectTrackAndGuard();
        if (before != null) {
            try {
                before.run(target);
            } catch (PatchException | RuntimeException | Error e) {
                refusedBeforePublish();
                throw e;
            }
        }
        // 4. Publish: the Dekker pairing with Units.begin is described in Generations.
        Generations.publish(target);
        // 5. Look at every thread's stack for frames of changed methods entered before any of this
        //    (no dispatch saw them). Each look is a handshake with that thread alone (ThreadStacks),
        //    never a safepoint; it also orders this thread's guard and site writes before that
        //    thread's next read of them.
        findHeldBack();
        toMove = remaining().size();
        if (lifecycle.monitorThreads) {
            startMonitor();
        }
    }

    /**
     * 1. Every method of the classes in transition selects the calling thread's generation. Nothing
     *    changes for any thread yet: each still finds the code it was running.
     * 2. Track the classes: a call into them from outside every unit of work becomes a unit, and a
     *    thread already inside a changed method (entered untracked) keeps that code's generation.
     * 3. Guards on. Code the JIT compiled with the guard folded to false is deoptimized before
     *    guard() returns: a thread-local handshake, not a safepoint.
     */
    private void selectTrackAndGuard() {
        Map<java.lang.invoke.MethodType, java.lang.invoke.MethodHandle> inTarget = new HashMap<>();
        for (HostClass h : classes) {
            h.runtime.sites().forEach(site -> site.select(target, inTarget));
            h.runtime.syncSites();
        }
        AppCalls.forTransition(changed.keySet());
        Generations.track(changed, untrackedSince);
        Generations.listen(this);
        for (HostClass h : classes) {
            if (!h.runtime.patched()) {
                h.runtime.guard(true);
                guardedHere.add(h);
            }
        }
    }

    /** A unit of work ended on an application thread: count it and wake the monitor. Must not block. */
    @Override
    public void quiescent(Thread thread, Generation from) {
        if (from.sameCodeAs(target)) {
            return;
        }
        if (moved.add(thread.getId())) {
            PatchEvents.ThreadMoved e = new PatchEvents.ThreadMoved();
            if (e.isEnabled()) {
                e.movedThread = thread;
                e.fromGeneration = from.number();
                e.toGeneration = target.number();
                e.commit();
            }
        }
        wakeMonitor();
    }

    /**
     * Under the lifecycle lock. Before: RUNNING. After: switched to the target (true) if no thread
     * runs a unit of older code and no held-back thread still holds an old frame; otherwise
     * unchanged. The lifecycle then retires and calls {@link #completed}.
     */
    boolean tryComplete() {
        if (state != State.RUNNING || !remaining().isEmpty()) {
            return false;
        }
        // A thread may have pinned untrackedSince just before we looked; stop offering it, then look
        // again (Units.begin re-reads untrackedSince after announcing, the Dekker pairing).
        Generations.stopUntracked();
        if (!remaining().isEmpty()) {
            Generations.resumeUntracked(untrackedSince);
            return false;
        }
        debug("complete after " + elapsedNanos() / 1000 + " us");
        complete();
        return true;
    }

    /**
     * Under the lifecycle lock. Before: no thread runs other code than the target's, and none can
     * start to. After: every call of the classes goes straight to the target's code: through a direct
     * call site the JIT inlines, or, where the target is the code as loaded, through the class's own
     * bodies with the guard off. The lifecycle then retires the older versions and calls
     * {@link #completed}.
     */
    private void complete() {
        for (HostClass h : classes) {
            ClassVersion live = Lifecycle.versionIn(target, h);
            if (live.isOriginal() && h.bodyVersion == 0) {
                // The class's own bodies are the target's code again: the guard goes off. The sites keep
                // selecting, so a thread that read the guard just before it went off still runs the
                // target's code (its generation's, or the current one outside a unit). Retargeting them
                // too would cost a second wave of deoptimization for nothing.
                h.runtime.guard(false);
                continue;
            }
            for (DispatchSite s : h.runtime.sites()) {
                s.direct(live);
            }
            h.runtime.syncSites();
        }
        Generations.untrack();
        Generations.listen(null);
        endNanos = System.nanoTime();
    }

    /**
     * Under the lifecycle lock, once the lifecycle has retired what {@link #complete} left behind:
     * the state says COMPLETE only now, so whoever sees it (await, status) sees the bookkeeping done.
     */
    /**
     * Under the lifecycle lock, before the transition can complete: {@code r} runs when it does (not
     * if it is superseded or aborted). It must not block: it runs under the lock.
     */
    void onComplete(Runnable r) {
        onComplete = r;
    }

    void completed() {
        if (onComplete != null) {
            onComplete.run(); // first: whoever sees the transition complete finds its callbacks queued
        }
        state = State.COMPLETE;
        commitSpan();
    }

    /** Under the lifecycle lock, once the state is final: the transition's JFR event ends now. */
    private void commitSpan() {
        span.end();
        if (span.shouldCommit()) {
            span.fromGeneration = source.number();
            span.generation = target.number();
            span.strategy = strategy.word();
            span.outcome = state.name().toLowerCase(java.util.Locale.ROOT);
            span.threadsToMove = toMove;
            span.threadsMoved = moved.size();
            span.commit();
        }
    }

    private Runnable onComplete;

    /** Under the lifecycle lock. A rollback began while this ran: the next transition takes over. */
    void supersede() {
        if (state == State.RUNNING) {
            state = State.SUPERSEDED;
            endNanos = System.nanoTime();
            commitSpan();
            Generations.listen(null);
            wakeMonitor();
        }
    }

    // ---- global ----

    /**
     * Under the lifecycle lock; no other transition runs. The classic approach, for comparison: hold
     * every thread at its next quiescence point until nothing runs older code, switch all at once,
     * release. Before: nothing switched. After: COMPLETE, or ABORTED with everything as it was if
     * quiescence was not reached within the timeout.
     */
    void runGlobal(long timeoutMillis, BeforePublish before) throws PatchException {
        // 1. The barrier: no unit of work starts on new ground from here; those in flight run to
        //    their end, and so do units that begin above a frame of older code.
        Generations.raiseBarrier();
        try {
            // 2. Guards on with the sites selecting, so that every entry into the classes is tracked:
            //    a call from outside every unit waits at the barrier like any unit (nothing can enter
            //    the old code untracked between the last look at the stacks and the switch).
            selectTrackAndGuard();
            findHeldBack();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            List<ThreadState> busy;
            // Work carried from units of the older code (a queued task, a request completed
            // elsewhere) runs that code too: the switch waits for it as for a thread in a unit.
            while (!(busy = threadsInUnits()).isEmpty() || !heldBack.isEmpty() || !Unit.open().isEmpty()
                   || appCallsBehind()) {
                if (System.nanoTime() > deadline) {
                    Set<Thread> inCalls = new LinkedHashSet<>(heldBack);
                    remaining().stream().filter(b -> b.why() == Why.APP_CALL).forEach(b -> inCalls.add(b.thread()));
                    String who = names(busy, inCalls) + (Unit.open().isEmpty() ? ""
                        : (busy.isEmpty() && heldBack.isEmpty() ? "" : ", ") + Unit.open().size()
                        + " unit(s) of work held open by tasks or requests not finished");
                    abort();
                    throw new PatchException("refused: global quiescence was not reached within " + timeoutMillis
                        + " ms; still inside units of work or old frames: " + who + ". Nothing was switched. Use "
                        + "the local strategy (threads move on their own), or raise globalTimeoutMillis");
                }
                recheckHeldBack();
                recheckAppCalls();
                Units.expungeDropped();
                ThreadState.pruneEnded();
                LockSupport.parkNanos(this, 50_000);
            }
            // 3. Nothing runs older code: switch everything at once.
            if (before != null) {
                try {
                    before.run(target);
                } catch (PatchException | RuntimeException | Error e) {
                    refusedBeforePublish(); // a drain runs with the barrier down (below)
                    throw e;
                }
            }
            Generations.publish(target);
            complete();
        } finally {
            // 4. Release: the held threads start their units, in the target (or the source after abort).
            Generations.lowerBarrier();
        }
    }

    /**
     * Global quiescence was not reached: every class is back where it was. Classes patched before
     * call their source version directly again; the guards turned on here go off (their sites keep
     * selecting, so a thread that read the guard just before still runs the source's code).
     */
    private void abort() {
        for (HostClass h : classes) {
            if (guardedHere.contains(h)) {
                h.runtime.guard(false);
                // Still selecting, but without the target's constant path: the target's versions
                // are released (Lifecycle.forgetHostsExcept) and their classes must be unreachable.
                h.runtime.sites().forEach(DispatchSite::selectEveryGeneration);
                h.runtime.syncSites();
            } else {
                ClassVersion v = Lifecycle.versionIn(source, h);
                h.runtime.sites().forEach(s -> s.direct(v));
                h.runtime.syncSites();
            }
        }
        Generations.untrack();
        Generations.listen(null);
        state = State.ABORTED;
        endNanos = System.nanoTime();
        commitSpan();
    }

    // ---- refused with work of the target still running ----

    /**
     * Under the lifecycle lock: a step before publication refused the patch. Nothing was published;
     * the transition drains while work of its target still runs, else aborts at once.
     */
    private void refusedBeforePublish() {
        if (targetStillRuns()) {
            drain();
        } else {
            abort();
        }
    }

    /**
     * Whether a unit of work pinned to the target runs anywhere: work that the patch's callbacks,
     * initializers or transformers handed to other threads (a submitted task carries their unit). A
     * hook that overran its time and was left running does not count ({@link #overranHook}). The
     * caller's own unit has ended.
     */
    private boolean targetStillRuns() {
        return !drainingFor(true).isEmpty();
    }

    /** What a drain waits for (status shows it as the transition's remaining work): see {@link #targetStillRuns}. */
    List<Behind> drainingFor() {
        return drainingFor(false);
    }

    private List<Behind> drainingFor(boolean first) {
        List<Behind> found = new ArrayList<>();
        Set<Unit> running = new HashSet<>();
        for (ThreadState s : ThreadState.all()) {
            if (s.generation() == target && s.thread().isAlive() && s.thread() != Thread.currentThread()
                && !overranHook(s)) {
                found.add(new Behind(s.thread(), s, s.unit(), Why.UNIT));
                running.add(s.unit());
                if (first) {
                    return found;
                }
            }
        }
        for (Unit u : Unit.open()) {
            if (u.generation() == target && !running.contains(u)) {
                found.add(new Behind(null, null, u, Why.UNIT));
                if (first) {
                    return found;
                }
            }
        }
        return found;
    }

    /**
     * The thread of a patch's hook itself (PatchHooks.callBounded runs it in a unit of its own,
     * Units.callIn), as opposed to work the hook handed on, which runs in the hook's unit carried
     * into a task of another kind. Neither a refusal nor a later transition waits for a hook that
     * overran its time; they wait for the work it handed on (docs/patch-format.md).
     */
    private static boolean overranHook(ThreadState s) {
        return s.kind() == io.livepatch4j.agent.bootstrap.UnitKind.PATCH_LIFECYCLE && s.via() == null;
    }

    /**
     * Under the lifecycle lock: refused before publication while units of the target still run. They
     * must run the target's code to their end (one unit, one generation), so nothing is undone yet:
     * the guards stay on and the sites keep selecting (units of other generations find their own code,
     * as during the transition), and the target's versions stay installed (it stays live). The monitor
     * waits for those units, at most {@link Lifecycle#drainMillis}, then the lifecycle aborts this
     * transition as if it had been refused at once ({@link Lifecycle#finishDrain}). Meanwhile applies
     * and rollbacks are refused, as while any transition runs.
     */
    private void drain() {
        state = State.DRAINING;
        drainDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lifecycle.drainMillis);
        Generations.untrack();
        Generations.listen(null);
        if (lifecycle.monitorThreads) {
            Thread t = new Thread(this::watchDrain, "livepatch4j-refused-G" + target.number());
            t.setDaemon(true);
            monitor = t;
            t.start();
        }
    }

    private long drainDeadlineNanos;

    private void watchDrain() {
        while (state == State.DRAINING) {
            Units.expungeDropped();
            ThreadState.pruneEnded();
            boolean overdue = System.nanoTime() > drainDeadlineNanos;
            if (!targetStillRuns() || overdue) {
                lifecycle.finishDrain(this, overdue);
                return;
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Under the lifecycle lock: the drain ended; everything goes back as for a refusal before publication. */
    void drained() {
        abort();
    }

    boolean draining() {
        return state == State.DRAINING;
    }

    // ---- the monitor ----

    private void startMonitor() {
        Thread t = new Thread(this::watch, "livepatch4j-transition-G" + target.number());
        t.setDaemon(true);
        monitor = t;
        t.start();
    }

    private void watch() {
        while (state == State.RUNNING) {
            recheckHeldBack();
            recheckAppCalls();
            Units.expungeDropped();
            if (remaining().isEmpty() && lifecycle.tryComplete(this)) {
                return;
            }
            stragglers.look(this, lifecycle.appCallWaitMillis);
            ThreadState.pruneEnded();
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    private void wakeMonitor() {
        Thread m = monitor;
        if (m != null) {
            LockSupport.unpark(m);
        }
    }

    // ---- what the transition waits for ----

    /**
     * What the transition waits for: a thread ({@code state} is null for one never seen in a unit of
     * work), or a unit of work that no thread runs now but that tasks or a request still hold
     * ({@code thread} and {@code state} null).
     */
    record Behind(Thread thread, ThreadState state, Unit unit, Why why) {
    }

    /** Why the transition waits for it. */
    enum Why {
        /** A unit of work of older code runs on the thread, or tasks or a request hold it open. */
        UNIT,
        /** The thread holds a frame of a changed method that it entered before the transition. */
        OLD_FRAME,
        /** The thread is inside an application call that may run older code (the general rule). */
        APP_CALL
    }

    /**
     * Threads inside a unit of work of code other than the target's, held-back threads, and open
     * units of other code that tasks or requests hold. Threads are read before open units: a unit
     * enters the open set before its last thread leaves it (see {@link Unit}), so none is missed.
     */
    List<Behind> remaining() {
        List<Behind> behind = new ArrayList<>();
        Set<Thread> seen = new HashSet<>();
        Map<Thread, ThreadState> states = new HashMap<>();
        for (ThreadState s : ThreadState.all()) {
            if (!s.thread().isAlive()) {
                continue;
            }
            states.put(s.thread(), s);
            Generation g = s.generation();
            if (g != null && overranHook(s) && lifecycle.history().get(g.number()) == null) {
                // A hook that overran its time and was left running, pinned to the aborted generation of
                // the patch it refused (PatchHooks.callBounded): no unit of work, nothing to wait for.
                // (Work it handed to other threads is: their units are carried, via another kind.)
                continue;
            }
            if (g != null && !g.sameCodeAs(target)) {
                behind.add(new Behind(s.thread(), s, s.unit(), Why.UNIT));
                seen.add(s.thread());
            }
        }
        for (Thread t : heldBack) {
            if (t.isAlive() && seen.add(t)) {
                behind.add(new Behind(t, states.get(t), null, Why.OLD_FRAME));
            }
        }
        // Threads that may run older code inside an application call (see recheckAppCalls).
        Set<Thread> appWalkers = Generations.appWalkers();
        for (ThreadState s : ThreadState.all()) {
            Generation g = s.appCallGeneration();
            if (g != null && !g.sameCodeAs(target) && s.thread().isAlive() && seen.add(s.thread())) {
                behind.add(new Behind(s.thread(), s, null, Why.APP_CALL));
            }
        }
        if (appWalkers != null) {
            for (Thread t : appWalkers) {
                if (t.isAlive() && seen.add(t)) {
                    behind.add(new Behind(t, states.get(t), null, Why.APP_CALL));
                }
            }
        }
        Set<Unit> running = new HashSet<>();
        behind.forEach(b -> running.add(b.unit()));
        for (Unit u : Unit.open()) {
            if (!u.generation().sameCodeAs(target) && !running.contains(u)) {
                behind.add(new Behind(null, null, u, Why.UNIT));
            }
        }
        return behind;
    }

    /**
     * Looks at every thread (the caller included: it may itself be inside a changed method) once the
     * guards are on. A thread with a frame of a changed method entered it before the transition, in
     * a unit of work or not: it is held back until that frame is gone. Only these threads can still
     * hold an untracked frame (whatever any thread enters from now on goes through dispatch), so only
     * they walk their own stack when they next begin a unit.
     *
     * <p>The same look serves the general rule (see the bootstrap's AppCalls): a thread inside an
     * application call may have run the older code in it, untracked, so its units inside that call
     * run the generation before the transition, and the transition waits until it is seen outside
     * every application call, or begins a unit of work with none around it (a server the agent knows
     * begins its next request: one walk of its own stack). The thread that starts the transition is
     * not one: it may be an application call itself (an admin request that applies a patch and waits
     * for its transition), and waiting for it would wait for ever.
     */
    private void findHeldBack() {
        Set<Thread> walkers = ConcurrentHashMap.newKeySet();
        Set<Thread> inCall = ConcurrentHashMap.newKeySet();
        Map<Thread, ThreadState> states = new HashMap<>();
        ThreadState.all().forEach(s -> states.put(s.thread(), s));
        for (Thread t : Threads.all()) {
            if (t == monitor) {
                continue;
            }
            boolean self = t == Thread.currentThread();
            ThreadState s = states.get(t);
            Object seen = s == null ? null : s.appCallRecord();
            // One look per thread answers both questions (ThreadStacks#look): a handshake each.
            ThreadStacks.Look look = self ? new ThreadStacks.Look(stacks.hasFrameOf(t, changed), false)
                : stacks.look(t, changed);
            if (look.holdsChangedFrame()) {
                walkers.add(t);
                heldBack.add(t);
                debug("'" + t.getName() + "' holds a frame of a changed method");
            }
            if (self) {
                continue; // the applying thread is no app walker (above)
            }
            if (look.inApplicationCall()) {
                inCall.add(t);
                debug("'" + t.getName() + "' is inside an application call");
            } else if (s != null) {
                // A record left by a call that has ended (a reversal keeps the chain, and with it the
                // records of the transition it reverses): the thread's next call must not take it for
                // its own. Cleared only if the thread recorded nothing since the look.
                s.forgetAppCall(seen);
            }
        }
        Generations.walkOnly(walkers);
        Generations.appWalkOnly(inCall);
    }

    /**
     * Threads that may still run older code in an application call, looked at again: an app walker
     * or a thread whose recorded call runs other code than the target's is let go once a look at its
     * stack finds no application call. The record is read before the look and cleared only if the
     * thread did not record or claim one since (see ThreadState#forgetAppCall); the walker leaves the
     * set before that, so a thread that begins a call after the look either finds itself no walker
     * (and runs the target) or records the older code again, which the next look sees.
     */
    private void recheckAppCalls() {
        Set<Thread> walkersNow = Generations.appWalkers();
        Map<Thread, ThreadState> look = new HashMap<>();
        if (walkersNow != null) {
            walkersNow.forEach(t -> look.put(t, null));
        }
        for (ThreadState s : ThreadState.all()) {
            Generation g = s.appCallGeneration();
            if (look.containsKey(s.thread()) || (g != null && !g.sameCodeAs(target))) {
                look.put(s.thread(), s);
            }
        }
        // A thread inside a unit of work is not looked at: the transition waits for its unit anyway,
        // and it leaves the walkers by itself when it begins a unit with no application call around
        // it (a server the agent knows begins its next request). Looking would cost it a handshake
        // every few milliseconds for as long as its unit runs (every busy worker of a loaded server
        // is inside an application call when a transition begins); it is looked at once it is
        // between units.
        look.values().removeIf(s -> s != null && s.generation() != null);
        boolean waitedLongEnough = elapsedNanos() > TimeUnit.MILLISECONDS.toNanos(lifecycle.appCallWaitMillis);
        look.forEach((t, s) -> {
            if (!t.isAlive()) {
                if (walkersNow != null) {
                    walkersNow.remove(t);
                }
            } else if (waitedLongEnough && walkersNow != null && walkersNow.contains(t)
                       && (s == null || s.appCallGeneration() == null)) {
                letGo(t, walkersNow);
            } else {
                lookAgain(t, s, walkersNow);
            }
        });
    }

    /**
     * Where the rule ends: a thread found inside an application call when the transition began that
     * has made no call into the classes in transition for stragglerMillis (a main that a launcher
     * started and that waits for good, a request that does something else for that long) stops
     * holding the transition. Were it to hold it, a thread that never leaves its call would hold
     * every transition for good. If that call does reach a class in transition later, it runs the
     * newest code there; the log says so, once per thread and transition.
     */
    private void letGo(Thread t, Set<Thread> walkersNow) {
        walkersNow.remove(t);
        LOG.log(System.Logger.Level.INFO, "livepatch4j: transition to G" + target.number() + ": thread ''"
            + t.getName() + "'' was inside a call from server code into application code when the transition began "
            + "and has made no call into the patched classes for " + lifecycle.appCallWaitMillis + " ms; it no longer "
            + "holds the transition, and a later call from that same call runs the new code");
    }

    private void lookAgain(Thread t, ThreadState s, Set<Thread> walkersNow) {
        Object seen = s == null ? null : s.appCallRecord();
        if (stacks.inApplicationCall(t)) {
            return;
        }
        if (walkersNow != null) {
            walkersNow.remove(t);
        }
        if (s != null && s.forgetAppCall(seen)) {
            debug("'" + t.getName() + "' left its application call");
        }
    }

    /** Whether any thread may still run older code inside an application call. */
    private boolean appCallsBehind() {
        Set<Thread> w = Generations.appWalkers();
        if (w == null) {
            return true;
        }
        for (Thread t : w) {
            if (t.isAlive()) {
                return true;
            }
        }
        for (ThreadState s : ThreadState.all()) {
            Generation g = s.appCallGeneration();
            if (g != null && !g.sameCodeAs(target) && s.thread().isAlive()) {
                return true;
            }
        }
        return false;
    }


    /**
     * A held-back thread leaves the set once it runs a unit of the target's code (it began that unit
     * with a walk of its own stack that found no old frame, or the old frames below run the target's
     * code), waits at the global barrier (it runs nothing), or a look at its stack, taken while it is
     * in no unit of work, finds no frame of a changed method any more.
     */
    private void recheckHeldBack() {
        if (heldBack.isEmpty()) {
            return;
        }
        Map<Thread, ThreadState> states = new HashMap<>();
        ThreadState.all().forEach(s -> states.put(s.thread(), s));
        heldBack.removeIf(t -> {
            if (!t.isAlive()) {
                return true;
            }
            ThreadState s = states.get(t);
            if (!Generations.mustWalk(t)) {
                // It began a unit of its own with a walk of its stack that found no old frame of a
                // changed method, and whatever it entered since went through dispatch. (Running a
                // task carried from a unit of the target is no such proof: that takes no walk.)
                debug("'" + t.getName() + "' walked its stack: no old frame");
                return true;
            }
            if (s != null && s.generation() != null) {
                return false; // in a unit: its stack is looked at once it has left it, or it walks
            }
            if (s != null && s.awaitingBarrier()) {
                return true;
            }
            boolean left = !stacks.hasFrameOf(t, changed);
            if (left) {
                debug("'" + t.getName() + "' left the changed methods");
            }
            return left;
        });
    }

    private static List<ThreadState> threadsInUnits() {
        List<ThreadState> busy = new ArrayList<>();
        for (ThreadState s : ThreadState.all()) {
            if (s.thread().isAlive() && s.generation() != null) {
                busy.add(s);
            }
        }
        return busy;
    }

    private static String names(List<ThreadState> threads, Set<Thread> others) {
        Set<String> names = new LinkedHashSet<>();
        threads.forEach(s -> names.add("'" + s.thread().getName() + "'"));
        others.forEach(t -> names.add("'" + t.getName() + "' (in an old frame or application call)"));
        return String.join(", ", names);
    }

    // ---- read-only accessors for status ----

    Generation source() {
        return source;
    }

    Generation target() {
        return target;
    }

    Strategy strategy() {
        return strategy;
    }

    Set<HostClass> classes() {
        return classes;
    }

    Generation untrackedSince() {
        return untrackedSince;
    }

    State state() {
        return state;
    }

    int threadsMoved() {
        return moved.size();
    }

    int threadsToMove() {
        return toMove;
    }

    long elapsedNanos() {
        long end = endNanos;
        return (end == 0 ? System.nanoTime() : end) - startNanos;
    }

    /**
     * Waits for the end of the transition (completed, superseded or aborted), as status will show it
     * (the lifecycle publishes its view right after the state changes); true if it ended within the
     * timeout.
     */
    boolean await(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (state == State.RUNNING || state == State.DRAINING || lifecycle.showsRunning(this)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }
}
