package io.livepatch4j.agent.tooling;

import io.livepatch4j.agent.bootstrap.ClassVersion;
import io.livepatch4j.agent.bootstrap.Generation;
import io.livepatch4j.agent.bootstrap.Generations;
import io.livepatch4j.agent.tooling.events.PatchEvents;
import io.livepatch4j.patch.PatchException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one home of the generation lifecycle, in the manner of Linux livepatch's core.c: which
 * generations are live, the transition in progress, the history, and every patched class with its
 * versions. Starting a transition, completing it and retiring what it leaves behind all happen here.
 *
 * <p><b>The locking rule.</b> {@link #lock} guards every change to this state: the current
 * transition and its state, the live generations, the history's states, the hosts and their
 * versions, and the publication of the current generation. Apply, rollback and the monitor thread's
 * completion each take it for their whole duration, so they never interleave (a completion can no
 * longer release a version that a concurrent rollback has just installed). Application threads never
 * take it. The exceptions, each safe without it: status reads the volatile fields and concurrent
 * collections as a snapshot; a transition's set of moved threads is written by application threads
 * at their quiescence points.
 */
final class Lifecycle {

    private static final System.Logger LOG = AgentLog.logger("io.livepatch4j");

    /** The lifecycle lock: see the class comment for what it guards. */
    final Object lock = new Object();
    private final History history = new History();
    private final Map<Class<?>, HostClass> hosts = new ConcurrentHashMap<>();
    /** Generations a thread may still run: the last completed one and every one since. */
    private final List<Generation> live = new CopyOnWriteArrayList<>(List.of(Generation.ZERO));
    private final ThreadStacks stacks;
    private volatile Transition transition;
    /**
     * Whether a local transition starts its monitor thread, which completes it once nothing is
     * behind. Always true in production. A test that drives completion itself (calling
     * {@link #tryComplete} as the monitor does, e.g. under a model checker that must own every
     * thread) sets it to false before its first apply; nothing else changes.
     */
    boolean monitorThreads = true;
    /**
     * How long a thread that was inside an application call when a transition began, and has made no
     * call into the classes in transition since, holds the transition (the general rule; see
     * Transition#recheckAppCalls): the agent's stragglerMillis, which also makes a thread a straggler in
     * JFR (StragglerEvents). Set once, before the first apply.
     */
    long appCallWaitMillis = 1000;
    /**
     * How long a transition refused before publication waits for the units of work its patch's hooks
     * handed to other threads (Transition#drain): the agent's hookTimeoutMillis. Set once, before the
     * first apply.
     */
    long drainMillis = 30_000;
    /** While a refused transition drains: the hosts to keep when it ends (see {@link #forgetHostsExcept}). */
    private Set<Class<?>> drainKeeps;
    /**
     * Whether changes check that the caller owns {@link #lock}. Always true in production. Lincheck's
     * model checker enforces {@code synchronized} blocks with its own model of monitors, so under it
     * no thread owns the JVM monitor and {@link Thread#holdsLock} is false; a model-checked test
     * turns the check off (mutual exclusion is still what the model enforces).
     */
    boolean checkLockOwner = true;
    /** What status shows: published under the lock whenever the state is whole again (see {@link #publishView}). */
    private volatile View view;

    /**
     * One consistent state of the lifecycle for status: the current generation, each generation's
     * state, and the transition with its state, as they were between two changes. Reading the live
     * fields one by one instead could show a change half done (a rollback that has superseded a
     * transition but not yet recorded its generation), a state no order of the operations produces;
     * Lincheck found exactly that (LifecycleLincheckTest).
     */
    record View(Generation current, List<GenerationView> generations, Transition transition,
                Transition.State transitionState) {
    }

    /** One generation's record and its state at the time of the view. */
    record GenerationView(GenerationRecord record, GenerationRecord.State state, long transitionNanos) {
    }

    Lifecycle(ThreadStacks stacks) {
        this.stacks = stacks;
        synchronized (lock) {
            publishView();
        }
    }

    /** The state as of the last change. */
    View view() {
        return view;
    }

    /** Whether status still shows {@code t} running (its end is not published yet). */
    boolean showsRunning(Transition t) {
        View v = view;
        return v.transition() == t && (v.transitionState() == Transition.State.RUNNING
            || v.transitionState() == Transition.State.DRAINING);
    }

    /**
     * Under the lock, at the end of each change (and, for the global strategy, once before it waits,
     * so that status shows the transition it waits for): the state status shows from now on.
     */
    private void publishView() {
        requireLock();
        List<GenerationView> generations = new ArrayList<>();
        for (GenerationRecord r : history.all()) {
            generations.add(new GenerationView(r, r.state, r.transitionNanos));
        }
        Transition t = transition;
        view = new View(Generations.current(), List.copyOf(generations), t, t == null ? null : t.state());
    }

    /** The version of {@code h} in generation {@code g}. */
    static ClassVersion versionIn(Generation g, HostClass h) {
        ClassVersion v = g.version(h.runtime.index());
        return v == null ? h.original() : v;
    }

    private void requireLock() {
        if (checkLockOwner && !Thread.holdsLock(lock)) {
            throw new IllegalStateException("livepatch4j: the lifecycle changes only under Lifecycle.lock");
        }
    }

    // ---- reads, safe without the lock (snapshots) ----

    Transition transition() {
        return transition;
    }

    /** The running transition, or null. */
    Transition running() {
        Transition t = transition;
        return t != null && t.state() == Transition.State.RUNNING ? t : null;
    }

    History history() {
        return history;
    }

    Map<Class<?>, HostClass> hosts() {
        return new LinkedHashMap<>(hosts);
    }

    HostClass host(Class<?> type) {
        return hosts.get(type);
    }

    List<Generation> live() {
        return List.copyOf(live);
    }

    /**
     * The versions of {@code h} that must have their implementation installed for a transition to
     * {@code target}: the original, every live generation's and the target's, in that order.
     */
    java.util.Set<ClassVersion> needed(HostClass h, Generation target) {
        java.util.Set<ClassVersion> needed = running(h);
        needed.add(versionIn(target, h));
        return needed;
    }

    /** The versions of {@code h} that code may run now: the original and every live generation's, in that order. */
    private java.util.Set<ClassVersion> running(HostClass h) {
        java.util.Set<ClassVersion> running = new java.util.LinkedHashSet<>();
        running.add(h.original());
        for (Generation g : live) {
            running.add(versionIn(g, h));
        }
        return running;
    }

    // ---- changes, under the lock ----

    /** Under the lock: the host record of a class a patch touches, created on first use. */
    HostClass hostFor(Class<?> type, PreparedClasses prepared) {
        requireLock();
        return hosts.computeIfAbsent(type, t -> {
            PreparedClasses.Original o = prepared.original(t);
            return new HostClass(t, o.bytes(), o.sha256());
        });
    }

    /**
     * Under the lock: a refused patch drops the host records it created, so it leaves no trace in
     * status. (The class's runtime registration stays, unused; see HostClass.)
     */
    void forgetHostsExcept(Set<Class<?>> before) {
        requireLock();
        Transition t = transition;
        if (t != null && t.draining()) {
            // Units of the refused target still run its code: it is forgotten when they have ended.
            drainKeeps = before;
            return;
        }
        // What the refused apply installed and no live generation runs is released, so that its
        // implementation classes are unloaded with the next collection (a big patch vetoed by its
        // pre-apply callback left thousands of hidden classes otherwise). Never an original: a thread
        // that read a class's guard just before the refusal turned it off (or waited at the global
        // barrier inside its call) still selects, and finds the original's code; it stays installed
        // for the class's life, as after any patch, and the next apply reuses it. (An apply is
        // refused while a transition runs, so the live generations are all that runs.)
        for (HostClass h : hosts.values()) {
            Set<ClassVersion> running = running(h);
            for (ClassVersion v : h.versions()) {
                // bodyVersion: the version the redefine strategy put in the class's own bodies
                if (!running.contains(v) && h.bodyVersion != v.number()) {
                    v.release();
                }
            }
        }
        hosts.keySet().retainAll(before);
    }

    /**
     * Under the lock. Before: the target's versions and those of every live generation are installed
     * for {@code classes}. After: the transition to {@code target} runs (local), or has completed or
     * was refused with everything as it was (global). A running transition is superseded: the new one
     * takes over its classes and the generation its untracked frames run.
     */
    ApplyResult start(Generation target, Strategy strategy, Set<HostClass> classes, String patchId, String label,
                      long globalTimeoutMillis) throws PatchException {
        // Tests that drive the lifecycle without patches (LifecycleDriver) record none.
        return start(target, strategy, classes, patchId, label, Includes.NONE, globalTimeoutMillis, null, null);
    }

    /**
     * @param includes the patches and states {@code target} has, recorded in its history entry
     * @param before   run before the generation is published; it may refuse the patch (Transition.BeforePublish)
     * @param onComplete run under the lock when the transition completes, not if it is superseded or
     *                   refused (Transition.onComplete); null for nothing
     */
    ApplyResult start(Generation target, Strategy strategy, Set<HostClass> classes, String patchId, String label,
                      Includes includes, long globalTimeoutMillis, Transition.BeforePublish before, Runnable onComplete)
        throws PatchException {
        requireLock();
        Generation current = Generations.current();
        Transition running = running();
        Generation untrackedSince = current;
        if (running != null) {
            if (strategy == Strategy.GLOBAL) {
                // The barrier needs every thread quiescent at once; superseding first and then failing
                // to reach it would leave the running transition's threads with nothing to return to.
                throw new PatchException("refused: the transition to G" + running.target().number() + " is still "
                    + "running; the global strategy cannot take it over. Reverse it with the local strategy "
                    + "('lp4j rollback'), or wait for it to complete ('lp4j status')");
            }
            running.supersede();
            untrackedSince = running.untrackedSince();
        }
        live.add(target);
        history.add(new GenerationRecord(target, label, patchId, strategy, Instant.now(), classNames(classes), includes));
        Transition t = new Transition(current, target, strategy, classes, untrackedSince, stacks, this);
        if (onComplete != null) {
            t.onComplete(onComplete);
        }
        transition = t;
        LOG.log(System.Logger.Level.INFO, "livepatch4j: {0}: G{1} -> G{2} ({3}, {4} classes; includes {5})", label,
            current.number(), target.number(), strategy.word(), classes.size(), includes);
        if (strategy == Strategy.GLOBAL) {
            publishView();
            try {
                t.runGlobal(globalTimeoutMillis, before);
            } catch (PatchException | RuntimeException | Error ex) {
                refused(t);
                throw ex;
            }
            retire(t);
            t.completed();
        } else {
            try {
                t.start(before);
            } catch (PatchException | RuntimeException | Error ex) {
                refused(t);
                throw ex;
            }
        }
        publishView();
        return new ApplyResult(target.number(), current.number(), patchId, strategy, classNames(classes),
            t.state() == Transition.State.COMPLETE, includes.patches());
    }

    /** Under the lock: {@code t} was refused before it published its target (aborted, or draining). */
    private void refused(Transition t) {
        if (!t.draining()) {
            live.remove(t.target()); // a draining target stays live until its units end (finishDrain)
        }
        history.markAborted(t.target().number());
        publishView();
    }

    /**
     * The drain monitor of {@code t} saw no unit of its target left ({@code overdue}: or gave up
     * waiting): the refused transition is undone now, under the lock, as a refusal before publication
     * is at once: the guards it turned on go off, and (unless overdue) the target's versions are
     * released and the hosts only it created are forgotten.
     */
    void finishDrain(Transition t, boolean overdue) {
        synchronized (lock) {
            if (t != transition || !t.draining()) {
                return;
            }
            if (overdue) {
                LOG.log(System.Logger.Level.WARNING, "livepatch4j: work that the refused patch for G{0} handed to "
                    + "other threads still runs after {1} ms; the patch is undone now, and that work runs the code "
                    + "as loaded until a transition of the same classes, which waits for it (a patch's callbacks "
                    + "should finish the work they hand on before they return)",
                    t.target().number(), drainMillis);
            }
            t.drained();
            live.remove(t.target());
            Set<Class<?>> keep = drainKeeps;
            drainKeeps = null;
            if (keep != null && !overdue) {
                forgetHostsExcept(keep);
            }
            // Overdue: the host records and versions stay (the next completion's retire releases the
            // versions). Forgotten, the next apply would number its versions from 1 again, and look like
            // the same code as the refused target to a transition deciding whom to wait for.
            publishView();
        }
    }

    /**
     * Under the lock: refuses {@code what} while a refused transition drains (applies and rollbacks
     * wait for it as for any running transition).
     */
    void refuseWhileDraining(String what) throws PatchException {
        Transition t = transition;
        if (t != null && t.draining()) {
            throw new PatchException("refused: " + what + ": work that the refused patch for G" + t.target().number()
                + " handed to other threads still runs its code; livepatch4j undoes that patch once it has ended "
                + "(at most " + drainMillis + " ms after the refusal). Try again then ('lp4j status')");
        }
    }

    /**
     * The monitor thread saw nothing behind: complete the transition under the lock, if it is still
     * the one in progress (a rollback may have superseded it meanwhile). True once it is complete.
     */
    boolean tryComplete(Transition t) {
        synchronized (lock) {
            if (t != transition || !t.tryComplete()) {
                return t.state() == Transition.State.COMPLETE;
            }
            retire(t);
            t.completed();
            publishView();
            return true;
        }
    }

    /**
     * Under the lock, right after {@code t} completed. Every generation but the target retires: its
     * versions that the target does not use are released (their implementation classes become
     * unreachable and are unloaded), the original stays as the fallback for removed methods.
     */
    private void retire(Transition t) {
        requireLock();
        Set<ClassVersion> keep = new HashSet<>();
        for (HostClass h : hosts.values()) {
            keep.add(versionIn(t.target(), h));
            keep.add(h.original());
        }
        for (Generation g : live) {
            if (g != t.target()) {
                history.markRetired(g.number());
                PatchEvents.GenerationRetired e = new PatchEvents.GenerationRetired();
                if (e.isEnabled()) {
                    e.generation = g.number();
                    e.label = g.label();
                    e.commit();
                }
            }
        }
        live.clear();
        live.add(t.target());
        history.markCurrent(t.target().number(), t.elapsedNanos());
        for (HostClass h : hosts.values()) {
            for (ClassVersion v : h.versions()) {
                if (!keep.contains(v)) {
                    v.release();
                }
            }
        }
    }

    /**
     * Under the lock: the redefine strategy changed the classes' own bodies; {@code target} is
     * current at once, and every older generation retires.
     */
    ApplyResult published(Generation target, String patchId, String label, Set<HostClass> classes, Includes includes) {
        requireLock();
        Generation current = Generations.current();
        Generations.publish(target);
        history.add(new GenerationRecord(target, label, patchId, Strategy.REDEFINE, Instant.now(), classNames(classes),
            includes));
        LOG.log(System.Logger.Level.INFO, "livepatch4j: {0}: G{1} -> G{2} (redefine, {3} classes; includes {4})", label,
            current.number(), target.number(), classes.size(), includes);
        for (Generation g : live) {
            history.markRetired(g.number());
        }
        live.clear();
        live.add(target);
        history.markCurrent(target.number(), 0);
        publishView();
        return new ApplyResult(target.number(), current.number(), patchId, Strategy.REDEFINE, classNames(classes), true,
            includes.patches());
    }

    static List<String> classNames(Set<HostClass> classes) {
        List<String> names = new ArrayList<>();
        classes.forEach(h -> names.add(h.name()));
        return names;
    }
}
