package io.livepatch4j.it.support;

import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one unit's trace against the sources, independently of the agent: every version tag in it
 * must be the version whose code the unit's pinned generation has ({@code versionOf}, filled from
 * what apply and rollback returned), and a kept lambda called by the unit must run the body of the
 * site that made it.
 *
 * <p>A unit's trace holds what {@code accept} ran, and segments {@code "#kept SITE Gn"} ...
 * {@code "#end"} for each kept lambda it called. A kept lambda whose site the unit's version does
 * not have (removed by the patch, or added by it and called after a rollback) has no defined code in
 * that generation: its segment is skipped, and counted.
 */
public final class GenChecker {

    private static final Pattern TAG = Pattern.compile("@v(\\d+)");

    /** What is wrong with a unit, by kind. */
    public enum Kind {
        /** the unit pinned a generation that no apply or rollback of this run returned */
        UNKNOWN_GENERATION,
        /** the unit was submitted after a generation was published and pinned an older one */
        OLDER_THAN_PUBLISHED,
        /** the code the unit ran itself (not through kept lambdas) is of two versions */
        MIXED,
        /**
         * the unit ran its own generation's code, but a lambda made by a unit of another generation ran
         * (in part) the code of that other generation: a mixed unit too
         */
        KEPT_LAMBDA_OTHER_VERSION,
        /** the trace holds code of one version, not the pinned generation's */
        WRONG_VERSION,
        /** a kept lambda ran another site's body */
        WRONG_LAMBDA,
        /** something other than the generated IllegalStateException was thrown */
        ERROR,
        /** the entry method did not run first */
        MISSING_ENTRY
    }

    public record Problem(Kind kind, String detail) {
    }

    public int orphanCalls;

    /**
     * The first problem of {@code u}, or null.
     *
     * @param sitesOf the lambda sites of version 1 or 2
     */
    public Problem check(GenTrace.Unit u, Map<Long, Integer> versionOf, IntFunction<Set<String>> sitesOf) {
        Integer v = versionOf.get(u.generation);
        if (v == null) {
            return new Problem(Kind.UNKNOWN_GENERATION, "pinned G" + u.generation + ", known " + versionOf + ": " + u);
        }
        if (u.generation < u.atLeast) {
            return new Problem(Kind.OLDER_THAN_PUBLISHED, u.toString());
        }
        Set<String> sites = sitesOf.apply(v);
        if (u.entries.isEmpty() || !u.entries.get(0).startsWith("accept@v")) {
            return new Problem(Kind.MISSING_ENTRY, "expected accept@v" + v + " first: " + u);
        }
        String site = null;
        boolean first = false;
        for (String e : u.entries) {
            if (e.startsWith("ERR ") && (site == null || sites.contains(site))) {
                return new Problem(Kind.ERROR, e + " in " + u);
            }
            if (e.startsWith("#kept ")) {
                site = e.split(" ")[1];
                first = true;
                if (!sites.contains(site)) {
                    orphanCalls++;
                }
                continue;
            }
            if (e.equals("#end")) {
                site = null;
                continue;
            }
            if (site != null && first && sites.contains(site)) {
                first = false;
                String want = "L" + site;
                boolean ok = e.startsWith(want) && (e.length() == want.length() || "@:<".indexOf(e.charAt(want.length())) >= 0);
                if (!ok) {
                    return new Problem(Kind.WRONG_LAMBDA, "a lambda made at site " + site + " ran " + e + " in G"
                        + u.generation + " (v" + v + "): " + u);
                }
            }
        }
        return versions(u, v, sites);
    }

    /**
     * MIXED, WRONG_VERSION or KEPT_LAMBDA_OTHER_VERSION over the entries, leaving out kept lambdas
     * whose site the unit's version does not have.
     */
    private static Problem versions(GenTrace.Unit u, int v, Set<String> sites) {
        Set<Integer> main = new java.util.TreeSet<>();
        Set<Integer> kept = new java.util.TreeSet<>();
        boolean inKept = false;
        boolean skip = false;
        for (String e : u.entries) {
            if (e.startsWith("#kept ")) {
                inKept = true;
                skip = !sites.contains(e.split(" ")[1]);
                continue;
            }
            if (e.equals("#end")) {
                inKept = false;
                skip = false;
                continue;
            }
            if (skip || e.startsWith("ERR ")) {
                continue;
            }
            Matcher m = TAG.matcher(e);
            while (m.find()) {
                (inKept ? kept : main).add(Integer.parseInt(m.group(1)));
            }
        }
        if (main.size() > 1) {
            return new Problem(Kind.MIXED, "G" + u.generation + " (v" + v + "): " + u);
        }
        if (!main.isEmpty() && !main.contains(v)) {
            return new Problem(Kind.WRONG_VERSION, "G" + u.generation + " should run v" + v + ", ran v" + main + ": " + u);
        }
        kept.remove(v);
        if (!kept.isEmpty()) {
            return new Problem(Kind.KEPT_LAMBDA_OTHER_VERSION, "G" + u.generation + " (v" + v + ") ran v" + kept
                + " code in a lambda made by another generation's unit: " + u);
        }
        return null;
    }
}
