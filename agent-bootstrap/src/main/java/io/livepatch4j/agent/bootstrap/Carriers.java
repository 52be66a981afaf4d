package io.livepatch4j.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which unit of work a task or a request belongs to: a map from the object (a task submitted inside
 * a unit, a request's exchange or callback) to its {@link Unit}, holding the object weakly and by
 * identity, so a task that is dropped without running (a discarded queue, a cancelled future) never
 * keeps a unit open for good: once the object is collected, its hold is released.
 */
final class Carriers {

    /** Tasks submitted inside a unit, not run yet. */
    static final Carriers TASKS = new Carriers(true);
    /** Requests whose unit stays open until the response completes. */
    static final Carriers REQUESTS = new Carriers(true);
    /**
     * Work that joins the unit it was registered in if that unit is still open when the work runs,
     * without keeping it open: CompletableFuture dependent stages, delayed and periodic scheduled
     * tasks, timer tasks. Such work may run long after its unit ended (a timeout, a poller, a stage of
     * a future that never completes); holding the unit open for it could hold a transition for good.
     */
    static final Carriers JOINS = new Carriers(false);

    /**
     * Per object: its hold (a {@link Unit}, or a {@link Hold} that names the executor it was
     * submitted to), or a {@link Queued} of holds when it was submitted more than once.
     */
    private final ConcurrentHashMap<Object, Object> units = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    /** Whether each entry holds its unit open (TASKS, REQUESTS) or only names it (JOINS). */
    private final boolean holding;

    private Carriers(boolean holding) {
        this.holding = holding;
    }

    /** Names the unit {@code key} joins when it runs (JOINS): the latest registration wins; holds nothing. */
    void name(Object key, Unit unit) {
        expunge();
        units.put(new WeakIdentity.Key(key, collected), unit);
    }

    /**
     * Records {@code key} as held by {@code unit}, submitted to {@code owner}: an executor whose runs
     * say which executor they are (a ThreadPoolExecutor's), else null. The same object submitted again
     * before it ran (one Runnable, twice) holds one more: each run takes the oldest hold of its own
     * executor (see {@link #take}). Such an object's holds are kept in a {@link Queued}, changed in
     * place, so a Runnable submitted n times costs O(n) and not O(n²).
     */
    void put(Object key, Unit unit, Object owner) {
        put(key, unit, owner, null);
    }

    /** As {@link #put(Object, Unit, Object)}, the hold followed by a submission's {@code ticket} (or null). */
    void put(Object key, Unit unit, Object owner, Ticket ticket) {
        expunge();
        Object hold = hold(unit, owner, ticket);
        units.merge(new WeakIdentity.Key(key, collected), hold, Carriers::appended);
    }

    /**
     * {@code key}, submitted to {@code owner} from no unit, will run in a unit of its own: if the
     * object has holds (a copy queued elsewhere from a unit), this submission gets an empty one, so
     * that its run takes that instead of another copy's (which would then run outside its unit).
     * Nothing is added for an object no one holds, the usual case, which costs one lookup. True if
     * the empty hold was added. Racy by design: a copy submitted from a unit on another thread just
     * after the lookup is missed, and this copy's run may then take its hold (docs/agent.md,
     * "Guarantees, and where they end"); marking every submission from no unit would cost a map entry
     * for each task of every executor.
     */
    boolean mark(Object key, Object owner, Ticket ticket) {
        if (units.isEmpty()) {
            return false;
        }
        WeakIdentity.Probe probe = new WeakIdentity.Probe(key);
        if (units.get(probe) == null) {
            return false;
        }
        boolean[] marked = new boolean[1];
        units.computeIfPresent(probe, (k, held) -> {
            marked[0] = true;
            return appended(held, new Hold(null, owner, ticket));
        });
        return marked[0];
    }

    /** Whether no object holds anything here now (a racy read: only a shortcut before {@link #mark}). */
    boolean isEmpty() {
        return units.isEmpty();
    }

    /** As {@link #put}, for an object whose run does not say where it runs (a request, a fork/join task, a Netty task). */
    void put(Object key, Unit unit) {
        put(key, unit, null);
    }

    /** The unit {@code key} belongs to (the oldest, if several), left in place; null if none. */
    Unit peek(Object key) {
        if (units.isEmpty()) {
            return null;
        }
        WeakIdentity.Probe probe = new WeakIdentity.Probe(key);
        Object held = units.get(probe);
        if (!(held instanceof Queued)) {
            return held == null ? null : unitOf(held);
        }
        Unit[] oldest = new Unit[1];
        units.computeIfPresent(probe, (k, h) -> {
            oldest[0] = unitOf(h instanceof Queued q ? q.holds.peekFirst() : h);
            return h;
        });
        return oldest[0];
    }

    /**
     * The unit of one hold on {@code key}, removed (the hold goes to the caller); null if none. A run
     * on {@code owner}, an executor whose runs say which they are, takes the oldest hold submitted to
     * it: one Runnable queued on pool P from a unit and, after a patch, submitted to pool Q from a
     * newer unit, runs each copy in the unit that submitted it, whichever pool runs it first. With no
     * hold of its own, it takes the oldest submitted where runs cannot say (a
     * ScheduledThreadPoolExecutor's task due now), else the oldest of all: a task can reach a pool's
     * workers without its execute (two pools sharing one queue, a rejection policy that offers the
     * task to another pool's queue), and that hold is then the task's (review24: refusing it ran such
     * a task outside its unit and kept the unit open for good). A run that cannot say where it runs ({@code owner} null) takes
     * the oldest hold submitted where runs cannot say, else the oldest.
     */
    Unit take(Object key, Object owner) {
        if (units.isEmpty()) {
            return null;
        }
        Unit[] taken = new Unit[1];
        units.computeIfPresent(new WeakIdentity.Probe(key), (k, held) -> {
            if (!(held instanceof Queued q)) {
                taken[0] = unitOf(held);
                return null;
            }
            Object hold = q.oldestFor(owner);
            q.holds.removeFirstOccurrence(hold);
            taken[0] = unitOf(hold);
            return q.holds.size() == 1 ? q.holds.peekFirst() : q;
        });
        return taken[0];
    }

    /** As {@link #take}, for a run that cannot say where it runs. */
    Unit take(Object key) {
        return take(key, null);
    }

    /**
     * Removes the hold a submission of {@code key} by {@code unit} to {@code owner} added, for a
     * submission that was refused (the task will not run as a task); returns the unit of the hold
     * removed, whose hold then goes to the caller, or null if none was (or it was an empty one).
     *
     * <p>Where that submission's hold is gone, a run took it: one object queued several times, whose
     * runs take the oldest hold of their executor ({@link #take}), can take a hold whose submission is
     * still going on and is then refused (a policy handing the task to another executor that throws).
     * The copy that ran then leaves its own hold with no run to take it. So another hold is removed in
     * its place, the one a run on {@code owner} would take next: the object keeps exactly one hold per
     * copy accepted and not yet run, and none is left behind once they all ran (review24: under CPU
     * contention a shared task's churn left hundreds, and the transition waiting for them never
     * ended). The unit released early is one whose copy is still queued; when that copy runs it takes
     * the hold that is left, as runs of such an object already do (one object, one hold per copy,
     * each copy in some submitter's unit). Runs take a rejected submission's hold last
     * ({@link Ticket}), so this happens only where a run took a hold before its executor rejected
     * the task; where the hold given up is then another executor's, that copy can run after its unit
     * was released (docs/agent.md, "Guarantees, and where they end").
     */
    Unit remove(Object key, Unit unit, Object owner) {
        if (units.isEmpty()) {
            return null;
        }
        Object[] removed = new Object[1];
        units.computeIfPresent(new WeakIdentity.Probe(key), (k, held) -> {
            if (!(held instanceof Queued q)) {
                removed[0] = held;
                return null;
            }
            Object hold = q.oldestOf(unit, owner);
            if (hold == null) {
                hold = q.oldestFor(owner);
            }
            q.holds.removeFirstOccurrence(hold);
            removed[0] = hold;
            return q.holds.size() == 1 ? q.holds.peekFirst() : q;
        });
        return removed[0] == null ? null : unitOf(removed[0]);
    }

    /**
     * The hold of {@code unit} on {@code key} submitted to {@code from} is now {@code to}'s, and the
     * youngest of {@code to}'s: a task its executor rejected is being submitted to another (a
     * rejection policy handing it on), where a run must find it as its own, after the copies queued
     * there before it.
     */
    void moved(Object key, Unit unit, Object from, Object to) {
        if (from == to || units.isEmpty()) {
            return;
        }
        units.computeIfPresent(new WeakIdentity.Probe(key), (k, held) -> {
            if (!(held instanceof Queued q)) {
                return unitOf(held) == unit ? hold(unit, to, ticketOf(held)) : held;
            }
            Object hold = q.oldestOf(unit, from);
            if (hold != null) {
                q.holds.removeFirstOccurrence(hold);
                q.holds.addLast(hold(unit, to, ticketOf(hold)));
            }
            return q;
        });
    }

    /** An entry's holds ({@code held}) with {@code more}, the youngest; inside a compute function for its key. */
    private static Queued appended(Object held, Object more) {
        Queued queue = held instanceof Queued q ? q : new Queued(held);
        queue.holds.addLast(more);
        return queue;
    }

    /** A hold of {@code unit} (null: an empty one, see {@link #mark}) submitted to {@code owner}, followed by {@code ticket}. */
    private static Object hold(Unit unit, Object owner, Ticket ticket) {
        return unit != null && owner == null && ticket == null ? unit : new Hold(unit, owner, ticket);
    }

    private static Ticket ticketOf(Object hold) {
        return hold instanceof Hold h ? h.ticket : null;
    }

    private static boolean isRejected(Object hold) {
        Ticket t = ticketOf(hold);
        return t != null && t.rejected;
    }

    /**
     * What a submission's hold says of it, followed through its moves from one executor to another:
     * whether the executor it is at now rejected the task (its submission there may still hand it
     * on, or be refused). A run there takes another copy's hold first ({@link Queued#oldestFor}):
     * the task it runs is not that one (review30: a run that took a rejected submission's hold ran a
     * newer unit's copy in the older unit's generation, and its refusal then had to give up another
     * hold). Written by the submitting thread; read by runs, inside compute functions.
     */
    static final class Ticket {
        volatile boolean rejected;
    }

    /** The unit a hold keeps open; null for an empty one. */
    private static Unit unitOf(Object hold) {
        return hold instanceof Hold h ? h.unit : (Unit) hold;
    }

    /** The executor a hold was submitted to, or null if its runs cannot say (or it was collected). */
    private static Object ownerOf(Object hold) {
        return hold instanceof Hold h ? h.get() : null;
    }

    /**
     * A hold submitted to an executor whose runs say where they run (a bare {@link Unit} is one whose
     * runs cannot), or an empty hold ({@link #mark}: {@code unit} null, for any executor or none).
     * The executor is held weakly: a strong reference from this map would keep alive the executor,
     * its queue and so the task this map holds weakly, and a task dropped with its executor would
     * never release its unit.
     */
    private static final class Hold extends java.lang.ref.WeakReference<Object> {
        final Unit unit;
        /** The submission's ticket, or null for a hold no submission follows. */
        final Ticket ticket;

        Hold(Unit unit, Object owner, Ticket ticket) {
            super(owner);
            this.unit = unit;
            this.ticket = ticket;
        }
    }

    /**
     * The holds of an object submitted more than once before it ran, oldest first: each a
     * {@link Unit} or a {@link Hold}. Locking rule: its deque is read and changed only inside the
     * map's compute functions for its key (which hold that key's bin lock), or after the map dropped
     * the entry ({@link #expunge}), when no one else can reach it.
     */
    private static final class Queued {
        final ArrayDeque<Object> holds = new ArrayDeque<>();

        Queued(Object first) {
            holds.add(first);
        }

        /** The hold a run on {@code owner} takes ({@link #take}). */
        Object oldestFor(Object owner) {
            Object unpaired = null;
            Object rejected = null;
            for (Object h : holds) {
                Object heldAt = ownerOf(h);
                if (heldAt == owner) {
                    if (!isRejected(h)) {
                        return h;
                    }
                    rejected = rejected == null ? h : rejected;
                }
                unpaired = unpaired == null && heldAt == null ? h : unpaired;
            }
            return rejected != null ? rejected : unpaired != null ? unpaired : holds.peekFirst();
        }

        /** The oldest hold of {@code unit} submitted to {@code owner}, else its oldest; null if it has none. */
        Object oldestOf(Unit unit, Object owner) {
            Object any = null;
            for (Object h : holds) {
                if (unitOf(h) == unit) {
                    if (ownerOf(h) == owner) {
                        return h;
                    }
                    any = any == null ? h : any;
                }
            }
            return any;
        }
    }

    /**
     * Adds to {@code into}, for each of its units, the classes of the objects that hold it, at most
     * {@code max} per unit (for status: which task or request a straggler waits for). One scan of the
     * whole map, so only for status, never on a task's way. A {@link Queued} entry is read inside a
     * compute function, as its rule says.
     */
    void holders(java.util.Map<Unit, java.util.List<String>> into, int max) {
        for (java.util.Map.Entry<Object, Object> e : units.entrySet()) {
            Object key = ((WeakIdentity.Key) e.getKey()).get();
            if (key == null) {
                continue;
            }
            java.util.List<Unit> held = new java.util.ArrayList<>(1);
            if (e.getValue() instanceof Queued) {
                units.computeIfPresent(e.getKey(), (k, h) -> {
                    if (h instanceof Queued q) {
                        q.holds.forEach(hold -> held.add(unitOf(hold)));
                    } else {
                        held.add(unitOf(h));
                    }
                    return h;
                });
            } else {
                held.add(unitOf(e.getValue()));
            }
            for (Unit u : held) {
                java.util.List<String> names = into.get(u);
                if (names != null && names.size() < max) {
                    names.add(CarriedTask.heldClass(key).getName());
                }
            }
        }
    }

    /** Releases the holds of objects collected without being taken. */
    void expunge() {
        Object ref;
        while ((ref = collected.poll()) != null) {
            Object held = units.remove(ref);
            if (!holding) {
                continue;
            }
            if (held instanceof Queued q) {
                q.holds.forEach(Carriers::release);
            } else if (held != null) {
                release(held);
            }
        }
    }

    private static void release(Object hold) {
        Unit u = unitOf(hold);
        if (u != null) {
            u.releaseDetached();
        }
    }

    /** Releases what dropped tasks and requests held; the tooling calls it while a transition waits. */
    static void expungeAll() {
        TASKS.expunge();
        REQUESTS.expunge();
    }
}
