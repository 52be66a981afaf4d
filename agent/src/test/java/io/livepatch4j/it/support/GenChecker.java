package io.livepatch4j.it.support;

import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
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
 * {@code "#end"} for each kept lambda it called. A kept lambda runs the body of its own site in the
 * unit's generation where that generation has the site; where it has not (removed by the patch, or
 * added by it and called after a rollback), the body of the version that created it, which is then
 * the one version with that site: its first entry must be its own site's, but what that body calls
 * runs in a generation without the site, so the rest of the segment is not checked for versions
 * (such calls are counted). One case is undecidable from the class files, and allowed: a site removed
 * and another added in its enclosing method, which the agent cannot tell from one lambda changed in
 * place (it pairs the two, and the old object runs the added site's body).
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
        return check(u, versionOf, sitesOf, (version, site) -> null);
    }

    /**
     * @param enclosingOf the method of version 1 or 2 that holds a lambda site, or null if not known
     *                    (then any site of the same version counts as in the same method)
     */
    public Problem check(GenTrace.Unit u, Map<Long, Integer> versionOf, IntFunction<Set<String>> sitesOf,
                         BiFunction<Integer, String, String> enclosingOf) {
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
        Set<String> allowed = null;
        boolean first = false;
        for (String e : u.entries) {
            if (e.startsWith("ERR ")) {
                return new Problem(Kind.ERROR, e + " in " + u);
            }
            if (e.startsWith("#kept ")) {
                String[] parts = e.split(" ");
                site = parts[1];
                first = true;
                allowed = Set.of("L" + site);
                if (!sites.contains(site)) {
                    orphanCalls++;
                    Integer creator = versionOf.get(Long.parseLong(parts[2].substring(1)));
                    allowed = creator == null ? null : pairable(site, creator, v, sitesOf, enclosingOf);
                }
                continue;
            }
            if (e.equals("#end")) {
                site = null;
                continue;
            }
            if (site != null && first && allowed != null) {
                // Its own site's body: the unit's version's if it has the site, else the creator's.
                first = false;
                boolean ok = false;
                for (String want : allowed) {
                    ok |= e.startsWith(want) && (e.length() == want.length() || "@:<".indexOf(e.charAt(want.length())) >= 0);
                }
                if (!ok) {
                    return new Problem(Kind.WRONG_LAMBDA, "a lambda made at site " + site + " ran " + e + " in G"
                        + u.generation + " (v" + v + "): " + u);
                }
            }
        }
        return versions(u, v, sites);
    }

    /**
     * The bodies a lambda of {@code site}, which version {@code creator} has and the unit's version
     * {@code v} has not, may run: its own, or that of a site that {@code v} has in the same method and
     * {@code creator} has not (a removed and an added lambda look like one changed in place).
     */
    private static Set<String> pairable(String site, int creator, int v, IntFunction<Set<String>> sitesOf,
                                        BiFunction<Integer, String, String> enclosingOf) {
        Set<String> out = new java.util.HashSet<>();
        out.add("L" + site);
        String method = enclosingOf.apply(creator, site);
        for (String t : sitesOf.apply(v)) {
            String tMethod = enclosingOf.apply(v, t);
            if (!sitesOf.apply(creator).contains(t) && (method == null || tMethod == null || method.equals(tMethod))) {
                out.add("L" + t);
            }
        }
        return out;
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
