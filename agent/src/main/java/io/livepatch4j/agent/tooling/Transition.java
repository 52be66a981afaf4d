package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.DispatchSite;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.bootstrap.ThreadState;
import io.livepatch4j.agent.bootstrap.TransitionListener;
import io.livepatch4j.agent.tooling.events.PatchEvents;
import io.livepatch4j.patch.PatchException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One transition to a target generation. Modelled on Linux livepatch's transition.c: small steps
 * named by their verb, each saying what holds before and after it.
 *
 * <pre>
 *   start()        local: sites select per thread, classes tracked, guards on, target published
 *   tryComplete()  by the monitor thread, woken at quiescence points: is any thread still behind?
 *   complete()     retire: sites call the target directly (or the guard goes off), tracking stops
 *   supersede()    a rollback while this runs: the next transition takes over (the reverse transition)
 *   runGlobal()    global: barrier, wait until no unit of work runs, switch everything, release
 * </pre>
 *
 * A transition is started by the {@link Patcher} under its lock; afterwards only the monitor thread
 * and the patcher touch it, and {@code tryComplete}, {@code supersede} and {@code status} are
 * synchronized on it.
 */
final class Transition implements TransitionListener {

    enum State { RUNNING, COMPLETE, SUPERSEDED, ABORTED }

    private static final System.Logger LOG = System.getLogger("io.livepatch4j.transition");

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
    private final Consumer<Transition> onComplete;
    private final ThreadStacks stacks;
    /** Threads outside every unit of work found inside a class in transition (entered before it began). */
    private final Set<Thread> outside = ConcurrentHashMap.newKeySet();
    private final long startNanos = System.nanoTime();
    private final Set<Long> moved = ConcurrentHashMap.newKeySet();
    private final int toMove;
    private volatile long endNanos;
    private volatile State state = State.RUNNING;
    private volatile Thread monitor;

    /**
     * @param untrackedSince the generation code runs in when a thread entered it before any
     *                       transition tracked its class (the generation before the first of a chain
     *                       of reversed transitions)
     */
    Transition(Generation source, Generation target, Strategy strategy, Set<HostClass> classes,
               Generation untrackedSince, ThreadStacks stacks, Consumer<Transition> onComplete) {
        this.stacks = stacks;
        this.source = source;
        this.target = target;
        this.strategy = strategy;
        this.classes = Set.copyOf(classes);
        this.untrackedSince = untrackedSince;
        this.onComplete = onComplete;
        this.toMove = remaining().size();
    }

    // ---- local ----

    /**
     * Before: threads run older generations (pinned ones keep theirs); the target's implementation
     * classes are installed. After: units of work that start run the target; the others run theirs
     * to the end; the monitor watches for the last one.
     */
    void start() {
        // 1. Every method of the classes in transition selects the calling thread's generation.
        //    Nothing changes for any thread yet: each still finds the code it was running.
        for (HostClass h : classes) {
            h.runtime.sites().forEach(DispatchSite::select);
            h.runtime.syncSites();
        }
        // 2. Track the classes: a call into them from outside every unit of work becomes a unit,
        //    and a thread already inside one (entered untracked) keeps that code's generation.
        Generations.track(types(), untrackedSince);
        Generations.listen(this);
        // 3. Guards on. Code the JIT compiled with the guard folded to false is deoptimized before
        //    guard() returns: a thread-local handshake, not a safepoint.
        for (HostClass h : classes) {
            if (!h.runtime.patched()) {
                h.runtime.guard(true);
            }
        }
        // 4. Publish: the Dekker pairing with Units.begin is described in Generations.
        Generations.publish(target);
        // 5. Look at the threads outside every unit of work: one inside a class in transition entered
        //    it before any of this (no dispatch saw it), so it runs older code there until it leaves.
        //    Each look is a handshake with that thread alone (ThreadStacks), never a safepoint.
        findOutsideThreads(true);
        startMonitor();
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
        Thread m = monitor;
        if (m != null) {
            LockSupport.unpark(m);
        }
    }

    /**
     * Before: any. After: true if the transition is complete. Completion needs no thread pinned to
     * code other than the target's and none lingering in an untracked frame.
     */
    synchronized boolean tryComplete() {
        if (state != State.RUNNING) {
            return state == State.COMPLETE;
        }
        if (!remaining().isEmpty()) {
            return false;
        }
        // A thread may have pinned untrackedSince just before we looked; stop offering it, then look
        // again (Units.enterImplicit re-reads untrackedSince after announcing, the Dekker pairing).
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
     * Before: no thread runs other code than the target's, and none can start to. After: every
     * call of the classes goes straight to the target's code: through a direct call site the JIT
     * inlines, or, where the target is the code as loaded, through the class's own bodies with the
     * guard off. Older versions become unreachable and the patcher releases them.
     */
    private void complete() {
        for (HostClass h : classes) {
            ClassVersion live = Patcher.versionIn(target, h);
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
        // The patcher's bookkeeping first, then the state: whoever sees COMPLETE sees it done.
        onComplete.accept(this);
        state = State.COMPLETE;
        PatchEvents.TransitionComplete e = new PatchEvents.TransitionComplete();
        if (e.isEnabled()) {
            e.generation = target.number();
            e.strategy = strategy.word();
            e.transitionNanos = endNanos - startNanos;
            e.threadsMoved = moved.size();
            e.commit();
        }
    }

    /** A rollback began while this ran: the next transition takes over. Before: RUNNING. */
    synchronized void supersede() {
        if (state == State.RUNNING) {
            state = State.SUPERSEDED;
            endNanos = System.nanoTime();
            Generations.listen(null);
            wakeMonitor();
        }
    }

    // ---- global ----

    /**
     * The classic approach, for comparison: hold every thread at its next quiescence point until
     * none is inside a unit of work, switch all at once, release. Before: nothing switched. After:
     * COMPLETE, or ABORTED (nothing switched) if quiescence was not reached within the timeout.
     */
    void runGlobal(long timeoutMillis) throws PatchException {
        for (HostClass h : classes) {
            h.runtime.sites().forEach(DispatchSite::select);
            h.runtime.syncSites();
        }
        Generations.track(types(), untrackedSince);
        Generations.listen(this);
        // 1. The barrier: no unit of work starts from here; those in flight run to their end.
        Generations.raiseBarrier();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            // The guards go on only at the switch, so frames can still be entered untracked until then:
            // every thread keeps walking its stack (no narrowing).
            findOutsideThreads(false);
            List<ThreadState> busy;
            while (!(busy = threadsInUnits()).isEmpty() || !outside.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    abort();
                    throw new PatchException("refused: global quiescence was not reached within " + timeoutMillis
                        + " ms; still inside units of work: " + names(busy, outside) + ". Nothing was switched. Use "
                        + "the local strategy (threads move on their own), or raise globalTimeoutMillis");
                }
                recheckOutsideThreads();
                LockSupport.parkNanos(this, 50_000);
            }
            // 2. Everyone is quiescent: switch everything at once.
            for (HostClass h : classes) {
                if (!h.runtime.patched()) {
                    h.runtime.guard(true);
                }
            }
            Generations.publish(target);
            synchronized (this) {
                complete();
            }
        } finally {
            // 3. Release: the held threads start their units, in the target.
            Generations.lowerBarrier();
        }
    }

    /** Global quiescence was not reached: undo the tracking; threads keep running the source. */
    private synchronized void abort() {
        for (HostClass h : classes) {
            if (h.runtime.patched()) {
                ClassVersion v = Patcher.versionIn(source, h);
                h.runtime.sites().forEach(s -> s.direct(v));
                h.runtime.syncSites();
            }
        }
        Generations.untrack();
        Generations.listen(null);
        state = State.ABORTED;
        endNanos = System.nanoTime();
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
            recheckOutsideThreads();
            if (tryComplete()) {
                return;
            }
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

    /** A thread the transition waits for; {@code state} is null for one outside every unit of work. */
    record Behind(Thread thread, ThreadState state) {
    }

    /**
     * Threads inside a unit of work of code other than the target's, lingering in untracked frames,
     * or found inside a class in transition with no unit of work at all.
     */
    List<Behind> remaining() {
        List<Behind> behind = new ArrayList<>();
        Set<Thread> seen = new HashSet<>();
        for (ThreadState s : ThreadState.all()) {
            if (!s.thread().isAlive()) {
                continue;
            }
            Generation g = s.generation();
            if ((g != null && !g.sameCodeAs(target)) || s.lingering()) {
                behind.add(new Behind(s.thread(), s));
                seen.add(s.thread());
            }
        }
        for (Thread t : outside) {
            if (t.isAlive() && seen.add(t)) {
                behind.add(new Behind(t, null));
            }
        }
        return behind;
    }

    /**
     * Looks at every thread once the guards are on. One inside a class in transition with no unit of
     * work entered it before the transition: the transition waits for it ({@code outside}). Every
     * thread with such a frame, in a unit or not, walks its own stack when it next begins a unit; with
     * {@code narrowWalks} (the guards are on), no other thread needs to, since what it enters from
     * now on goes through dispatch.
     */
    private void findOutsideThreads(boolean narrowWalks) {
        Set<Class<?>> types = types();
        java.util.Map<Thread, ThreadState> states = new java.util.HashMap<>();
        ThreadState.all().forEach(s -> states.put(s.thread(), s));
        Set<Thread> walkers = ConcurrentHashMap.newKeySet();
        for (Thread t : Threads.all()) {
            if (t == Thread.currentThread() || t == monitor || !stacks.hasFrameOf(t, types)) {
                continue;
            }
            walkers.add(t);
            ThreadState s = states.get(t);
            if (s == null || s.generation() == null) {
                outside.add(t);
                debug("'" + t.getName() + "' is inside a class in transition with no unit of work");
            }
        }
        if (narrowWalks) {
            Generations.walkOnly(walkers);
        }
    }

    /**
     * A thread found outside leaves the list once it runs a unit of the target (entering one, it
     * checked its own stack for older frames: Units.enterImplicit) or its stack holds no frame of
     * the classes any more.
     */
    private void recheckOutsideThreads() {
        if (outside.isEmpty()) {
            return;
        }
        Set<Class<?>> types = types();
        java.util.Map<Thread, ThreadState> states = new java.util.HashMap<>();
        ThreadState.all().forEach(s -> states.put(s.thread(), s));
        outside.removeIf(t -> {
            if (!t.isAlive()) {
                return true;
            }
            ThreadState s = states.get(t);
            Generation g = s == null ? null : s.generation();
            if (g != null) {
                boolean moved = g.sameCodeAs(target) && !s.lingering();
                if (moved) {
                    debug("'" + t.getName() + "' moved: it runs " + g);
                }
                return moved;
            }
            boolean left = !stacks.hasFrameOf(t, types);
            if (left) {
                debug("'" + t.getName() + "' left the classes in transition");
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

    private Set<Class<?>> types() {
        Set<Class<?>> types = new HashSet<>();
        classes.forEach(h -> types.add(h.type));
        return types;
    }

    private static String names(List<ThreadState> threads, Set<Thread> others) {
        Set<String> names = new LinkedHashSet<>();
        threads.forEach(s -> names.add("'" + s.thread().getName() + "'"));
        others.forEach(t -> names.add("'" + t.getName() + "' (outside any unit of work)"));
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

    /** Waits for the end of the transition; true if it completed within the timeout. */
    boolean await(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (state == State.RUNNING) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
        }
        return state == State.COMPLETE;
    }
}
