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
    static final Carriers TASKS = new Carriers();
    /** Requests whose unit stays open until the response completes. */
    static final Carriers REQUESTS = new Carriers();

    private final ConcurrentHashMap<Object, Unit> units = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    private Carriers() {}

    /** Records {@code key} as held by {@code unit}; false (and nothing recorded) if it already belongs to one. */
    boolean put(Object key, Unit unit) {
        expunge();
        return units.putIfAbsent(new WeakIdentity.Key(key, collected), unit) == null;
    }

    /** The unit {@code key} belongs to, removed from the map (its hold goes to the caller); null if none. */
    Unit take(Object key) {
        return units.isEmpty() ? null : units.remove(new WeakIdentity.Probe(key));
    }

    /** Releases the holds of objects collected without being taken. */
    void expunge() {
        Object ref;
        while ((ref = collected.poll()) != null) {
            Unit u = units.remove(ref);
            if (u != null) {
                u.releaseDetached();
            }
        }
    }

    /** Releases what dropped tasks and requests held; the tooling calls it while a transition waits. */
    static void expungeAll() {
        TASKS.expunge();
        REQUESTS.expunge();
    }
}
