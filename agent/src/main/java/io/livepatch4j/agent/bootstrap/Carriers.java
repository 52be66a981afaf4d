package io.livepatch4j.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
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
     * same Runnable, twice) holds one more: each run takes the oldest.
     */
    void put(Object key, Unit unit) {
        expunge();
        units.merge(new WeakIdentity.Key(key, collected), unit, (held, more) -> {
            java.util.ArrayDeque<Unit> queue = held instanceof Unit u ? new java.util.ArrayDeque<>(java.util.List.of(u))
                : new java.util.ArrayDeque<>(queueOf(held));
            queue.add((Unit) more);
            return queue;
        });
    }

    /** The unit {@code key} belongs to (the oldest, if several), left in place; null if none. */
    Unit peek(Object key) {
        if (units.isEmpty()) {
            return null;
        }
        Object held = units.get(new WeakIdentity.Probe(key));
        if (held instanceof Unit u) {
            return u;
        }
        return held == null ? null : queueOf(held).iterator().next();
    }

    /** The unit {@code key} belongs to (the oldest, if several), removed (its hold goes to the caller); null if none. */
    Unit take(Object key) {
        if (units.isEmpty()) {
            return null;
        }
        Unit[] taken = new Unit[1];
        units.computeIfPresent(new WeakIdentity.Probe(key), (k, held) -> {
            if (held instanceof Unit u) {
                taken[0] = u;
                return null;
            }
            java.util.ArrayDeque<Unit> rest = new java.util.ArrayDeque<>(queueOf(held));
            taken[0] = rest.poll();
            return rest.size() == 1 ? rest.peek() : rest;
        });
        return taken[0];
    }

    @SuppressWarnings("unchecked")
    private static java.util.Collection<Unit> queueOf(Object held) {
        return (java.util.Collection<Unit>) held;
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
            } else if (held != null) {
                queueOf(held).forEach(Unit::releaseDetached);
            }
        }
    }

    /** Releases what dropped tasks and requests held; the tooling calls it while a transition waits. */
    static void expungeAll() {
        TASKS.expunge();
        REQUESTS.expunge();
    }
}
