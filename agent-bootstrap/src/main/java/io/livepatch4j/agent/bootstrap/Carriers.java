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

    /** Per object: the unit it carries, or a queue of units when it was submitted more than once. */
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
     * Records {@code key} as held by {@code unit}. The same object submitted again before it ran (the
     * same Runnable, twice) holds one more: each run takes the oldest. Such an object's units are
     * kept in a {@link Queued}, changed in place, so a Runnable submitted n times costs O(n) and not
     * O(n²).
     */
    void put(Object key, Unit unit) {
        expunge();
        units.merge(new WeakIdentity.Key(key, collected), unit, (held, more) -> {
            Queued queue = held instanceof Queued q ? q : new Queued((Unit) held);
            queue.units.addLast((Unit) more);
            return queue;
        });
    }

    /** The unit {@code key} belongs to (the oldest, if several), left in place; null if none. */
    Unit peek(Object key) {
        if (units.isEmpty()) {
            return null;
        }
        WeakIdentity.Probe probe = new WeakIdentity.Probe(key);
        Object held = units.get(probe);
        if (!(held instanceof Queued)) {
            return (Unit) held;
        }
        Unit[] oldest = new Unit[1];
        units.computeIfPresent(probe, (k, h) -> {
            oldest[0] = h instanceof Queued q ? q.units.peekFirst() : (Unit) h;
            return h;
        });
        return oldest[0];
    }

    /** The unit {@code key} belongs to (the oldest, if several), removed (its hold goes to the caller); null if none. */
    Unit take(Object key) {
        if (units.isEmpty()) {
            return null;
        }
        Unit[] taken = new Unit[1];
        units.computeIfPresent(new WeakIdentity.Probe(key), (k, held) -> {
            if (!(held instanceof Queued q)) {
                taken[0] = (Unit) held;
                return null;
            }
            taken[0] = q.units.pollFirst();
            return q.units.size() == 1 ? q.units.peekFirst() : q;
        });
        return taken[0];
    }

    /**
     * Removes one hold of {@code unit} on {@code key} (a submission's own, as opposed to the oldest
     * that {@link #take} gives a run); true if there was one, whose hold then goes to the caller.
     */
    boolean remove(Object key, Unit unit) {
        if (units.isEmpty()) {
            return false;
        }
        boolean[] removed = new boolean[1];
        units.computeIfPresent(new WeakIdentity.Probe(key), (k, held) -> {
            if (!(held instanceof Queued q)) {
                removed[0] = held == unit;
                return removed[0] ? null : held;
            }
            removed[0] = q.units.removeFirstOccurrence(unit);
            return q.units.size() == 1 ? q.units.peekFirst() : q;
        });
        return removed[0];
    }

    /**
     * The units of an object submitted more than once before it ran, oldest first. Locking rule: its
     * deque is read and changed only inside the map's compute functions for its key (which hold that
     * key's bin lock), or after the map dropped the entry ({@link #expunge}), when no one else can
     * reach it.
     */
    private static final class Queued {
        final ArrayDeque<Unit> units = new ArrayDeque<>();

        Queued(Unit first) {
            units.add(first);
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
                        held.addAll(q.units);
                    } else {
                        held.add((Unit) h);
                    }
                    return h;
                });
            } else {
                held.add((Unit) e.getValue());
            }
            for (Unit u : held) {
                java.util.List<String> names = into.get(u);
                if (names != null && names.size() < max) {
                    names.add(key.getClass().getName());
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
            if (held instanceof Unit u) {
                u.releaseDetached();
            } else if (held instanceof Queued q) {
                q.units.forEach(Unit::releaseDetached);
            }
        }
    }

    /** Releases what dropped tasks and requests held; the tooling calls it while a transition waits. */
    static void expungeAll() {
        TASKS.expunge();
        REQUESTS.expunge();
    }
}
