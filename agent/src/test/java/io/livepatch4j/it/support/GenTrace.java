package io.livepatch4j.it.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What generated code reports as it runs: every generated method and lambda calls {@link #hit} with
 * its own name and the version of the source it was compiled from ("m3@v2", "La@v1"), into the trace
 * of the unit of work the calling thread is in. Lambdas are also {@link #keep kept}, with the site
 * that created them and the generation of the unit that created them, so that later units (of other
 * generations) can call them.
 *
 * <p>This is deliberately independent of the agent: the checker compares what ran (the trace) with
 * the source each generation was built from, never with the agent's own view of which code is live.
 */
public final class GenTrace {

    /** One unit of work: the generation it pinned at its start and what ran in it, in order. */
    public static final class Unit {
        public final long generation;
        /** The newest generation whose apply or rollback had returned when the unit was submitted. */
        public final long atLeast;
        public final List<String> entries = new ArrayList<>();

        public Unit(long generation, long atLeast) {
            this.generation = generation;
            this.atLeast = atLeast;
        }

        @Override
        public String toString() {
            return "unit(G" + generation + ", submitted after G" + atLeast + " returned): " + entries;
        }
    }

    /** A lambda object made by generated code, with where and in which unit's generation it was made. */
    public record Kept(String site, long createdIn, Object lambda) {
    }

    private static final ThreadLocal<Unit> CURRENT = new ThreadLocal<>();
    /** Kept lambdas, per pool (one per generated class); a small ring each, overwritten at random. */
    private static final java.util.concurrent.ConcurrentHashMap<String, AtomicReferenceArray<Kept>> POOLS =
        new java.util.concurrent.ConcurrentHashMap<>();
    private static final int POOL_SIZE = 32;

    private GenTrace() {}

    public static Unit begin(long generation, long atLeast) {
        Unit u = new Unit(generation, atLeast);
        CURRENT.set(u);
        return u;
    }

    public static void end() {
        CURRENT.remove();
    }

    /** Called by generated code: records that {@code what} ran in the current unit. */
    public static void hit(String what) {
        Unit u = CURRENT.get();
        if (u != null) {
            u.entries.add(what);
        }
    }

    /** Called by generated code: keeps a lambda it made at {@code site} of class {@code pool}. */
    public static void keep(String pool, String site, Object lambda) {
        Unit u = CURRENT.get();
        if (u == null) {
            return;
        }
        AtomicReferenceArray<Kept> ring = POOLS.computeIfAbsent(pool, k -> new AtomicReferenceArray<>(POOL_SIZE));
        ring.set(ThreadLocalRandom.current().nextInt(POOL_SIZE), new Kept(site, u.generation, lambda));
    }

    /** A kept lambda of {@code pool} at random, or null. */
    public static Kept anyKept(String pool) {
        AtomicReferenceArray<Kept> ring = POOLS.get(pool);
        return ring == null ? null : ring.get(ThreadLocalRandom.current().nextInt(POOL_SIZE));
    }

    /** Forgets the kept lambdas of {@code pool}, so that its classes can be unloaded. */
    public static void drop(String pool) {
        POOLS.remove(pool);
    }
}
