package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.gen.GenAnchor;
import io.livepatch4j.it.support.GenBuild;
import io.livepatch4j.it.support.GenChecker;
import io.livepatch4j.it.support.GenLoad;
import io.livepatch4j.it.support.GenProgram;
import io.livepatch4j.it.support.GenProgram.Change;
import io.livepatch4j.it.support.GenTrace;
import io.livepatch4j.it.support.QuietAgent;
import io.livepatch4j.patch.PatchException;
import io.livepatch4j.patch.build.PatchBuilder;
import io.livepatch4j.patch.diff.Refusal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Generated patches (issue 10): jqwik draws a small class and a v2 of it with changes of the kinds
 * in {@link Change} (bodies, lambdas added, removed, inserted before another, swapped, methods and
 * fields added, nested calls, exceptions, recursion), and a schedule of applies and rollbacks at
 * random moments. Units of work run the class on executor threads meanwhile; every generated method
 * and lambda reports what ran, and {@link GenChecker} checks each unit against the sources, not
 * against the agent's view: one version only, the version of the generation the unit pinned, and
 * kept lambdas (made by earlier units, perhaps of another generation) running their own site's body.
 *
 * <p>Tries: {@code -Dlp4j.gen.tries=N} (the pom passes it to jqwik as {@code jqwik.tries.default}).
 * The property does not stop at the first failing try: it tallies every try (ran, refused by the
 * builder with the reasons, failed with the kinds of problem) and fails at the last one, so a run
 * tells how often each defect shows.
 */
class GeneratedPatchesIT {

    private static final int TRIES = Integer.getInteger("lp4j.gen.tries", 30);
    private static final int THREADS = 4;
    private static final Duration TRANSITION_BOUND = Duration.ofSeconds(10);

    private static final AtomicInteger tries = new AtomicInteger();
    private static final AtomicInteger ran = new AtomicInteger();
    private static final AtomicInteger refused = new AtomicInteger();
    private static final AtomicInteger failed = new AtomicInteger();
    private static final AtomicInteger unitsChecked = new AtomicInteger();
    private static final AtomicInteger orphanCalls = new AtomicInteger();
    private static final Map<String, Integer> refusalReasons = new ConcurrentHashMap<>();
    private static final Map<String, Integer> problemKinds = new ConcurrentHashMap<>();
    /** Per change kind: tries whose patch ran with it, and of those the failed ones. */
    private static final Map<String, int[]> byChange = new ConcurrentHashMap<>();
    private static final Set<Change> LAMBDA_CHANGES = java.util.EnumSet.of(Change.LAMBDA_ADDED, Change.LAMBDA_REMOVED,
        Change.LAMBDA_INSERTED_BEFORE, Change.LAMBDAS_SWAPPED);
    private static final List<String> firstFailures = new ArrayList<>();
    private static volatile boolean reported;

    private static GenLoad load;

    @Property(shrinking = ShrinkingMode.OFF)
    void everyGeneratedUnitRunsOneGenerationsCode(
        @ForAll @IntRange(min = 1, max = 5) int methods,
        @ForAll Set<Change> changes,
        @ForAll long seed,
        @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 4000) Integer> delaysMicros,
        @ForAll @Size(4) List<Boolean> awaitBeforeRollback) throws Exception {
        QuietAgent.warningsOnly();
        int n = tries.incrementAndGet();
        GenProgram p = GenProgram.generate("io.livepatch4j.it.gen.Gen" + n, methods, changes, seed);
        String failure;
        int refusedBefore = refused.get();
        try {
            failure = runOne(p, delaysMicros, awaitBeforeRollback);
        } catch (Throwable t) {
            failure = "ERROR " + t;
            t.printStackTrace();
        }
        boolean refusedNow = refused.get() != refusedBefore;
        if (!refusedNow) {
            for (Change c : p.changes) {
                tally(byChange.computeIfAbsent(c.name(), x -> new int[2]), failure != null);
            }
            if (java.util.Collections.disjoint(p.changes, LAMBDA_CHANGES)) {
                tally(byChange.computeIfAbsent("(no lambda added, removed, inserted or swapped)", x -> new int[2]),
                    failure != null);
            }
        }
        if (failure != null) {
            failed.incrementAndGet();
            String text = "try " + n + " (" + methods + " methods, seed " + seed + ", schedule " + delaysMicros
                + " µs, await before rollback " + awaitBeforeRollback + "): " + failure + "\n" + p;
            synchronized (firstFailures) {
                if (firstFailures.size() < 3) {
                    firstFailures.add(text);
                    System.out.println("[gen] FAILED " + text);
                } else {
                    System.out.println("[gen] FAILED try " + n + " " + p.changes + ": "
                        + failure.substring(0, Math.min(300, failure.length())));
                }
            }
        }
        if (n == TRIES) {
            report();
        }
    }

    /** Null if the try passed or the builder refused the pair; else what went wrong. */
    private String runOne(GenProgram p, List<Integer> delaysMicros, List<Boolean> awaitBeforeRollback) throws Exception {
        GenBuild v1 = GenBuild.compile(Map.of(p.className, p.source(1)));
        GenBuild v2 = GenBuild.compile(Map.of(p.className, p.source(2)));
        PatchBuilder.Report report = GenBuild.patch(p.simpleName, v1, v2);
        if (report.patch() == null) {
            refused.incrementAndGet();
            for (Refusal r : report.refusals()) {
                refusalReasons.merge(r.reason().replaceAll("p\\d+", "pN"), 1, Integer::sum);
            }
            return null;
        }
        ran.incrementAndGet();
        if (!LivePatch.awaitTransition(TRANSITION_BOUND)) {
            return "the previous try's transition did not complete";
        }
        IntConsumer gen = (IntConsumer) GenAnchor.define(v1.bytes.get(p.className)).getConstructor().newInstance();
        Map<Long, Integer> versionOf = new ConcurrentHashMap<>();
        long start = LivePatch.currentGeneration();
        versionOf.put(start, 1);
        GenLoad units = load();
        units.target(gen, p.className);
        units.published(start);
        GenChecker checker = new GenChecker();
        List<String> problems = new ArrayList<>();
        units.start();
        try {
            TimeUnit.MILLISECONDS.sleep(3);
            long applied = -1;
            long from = start;
            for (int i = 0; i < delaysMicros.size(); i++) {
                TimeUnit.MICROSECONDS.sleep(delaysMicros.get(i));
                try {
                    if (i % 2 == 0) {
                        if (!LivePatch.awaitTransition(TRANSITION_BOUND)) {
                            problems.add("transition did not complete within " + TRANSITION_BOUND);
                            break;
                        }
                        ApplyResult a = LivePatch.apply(report.patch(), Strategy.LOCAL);
                        versionOf.put(a.generation(), 2);
                        units.published(a.generation());
                        applied = a.generation();
                        from = a.fromGeneration();
                    } else {
                        if (awaitBeforeRollback.get(i) && !LivePatch.awaitTransition(TRANSITION_BOUND)) {
                            problems.add("transition did not complete within " + TRANSITION_BOUND);
                            break;
                        }
                        ApplyResult r = LivePatch.rollback(from, Strategy.LOCAL);
                        versionOf.put(r.generation(), 1);
                        units.published(r.generation());
                    }
                } catch (PatchException e) {
                    problems.add("the agent refused step " + i + " (" + (i % 2 == 0 ? "apply" : "rollback") + " after G"
                        + applied + "): " + e.getMessage());
                    break;
                }
            }
            if (!LivePatch.awaitTransition(TRANSITION_BOUND)) {
                problems.add("the last transition did not complete within " + TRANSITION_BOUND);
            }
            TimeUnit.MILLISECONDS.sleep(3);
        } finally {
            units.stop();
        }
        Map<GenChecker.Kind, Integer> kinds = new TreeMap<>();
        String firstProblem = null;
        for (GenTrace.Unit u : units.drain()) {
            unitsChecked.incrementAndGet();
            GenChecker.Problem pr = checker.check(u, versionOf, p::sites, p::enclosing);
            if (pr != null) {
                kinds.merge(pr.kind(), 1, Integer::sum);
                if (firstProblem == null) {
                    firstProblem = pr.kind() + ": " + pr.detail();
                }
            }
        }
        orphanCalls.addAndGet(checker.orphanCalls);
        GenTrace.drop(p.className);
        kinds.forEach((k, c) -> problemKinds.merge(k.name(), 1, Integer::sum));
        if (!kinds.isEmpty()) {
            problems.add("units with problems " + kinds + "; first: " + firstProblem);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static void tally(int[] k, boolean failed) {
        synchronized (k) {
            k[0]++;
            k[1] += failed ? 1 : 0;
        }
    }

    private static synchronized GenLoad load() {
        if (load == null) {
            load = new GenLoad(THREADS, true);
        }
        return load;
    }

    private static synchronized void report() {
        if (reported) {
            return;
        }
        reported = true;
        Map<String, String> failedOfRan = new TreeMap<>();
        byChange.forEach((c, k) -> failedOfRan.put(c, k[1] + "/" + k[0]));
        System.out.println("[gen] " + tries.get() + " tries: " + ran.get() + " patches ran, " + refused.get()
            + " refused by the builder, " + failed.get() + " failed; " + unitsChecked.get() + " units checked, "
            + orphanCalls.get() + " kept-lambda calls whose site the unit's version lacks (checked for their own site's body only)");
        System.out.println("[gen] refusal reasons: " + new TreeMap<>(refusalReasons));
        System.out.println("[gen] tries failing per kind of unit problem: " + new TreeMap<>(problemKinds));
        System.out.println("[gen] per change kind, failed/ran tries whose patch had it: " + failedOfRan);
        if (failed.get() > 0) {
            throw new AssertionError(failed.get() + " of " + ran.get() + " generated patches that ran had units that did "
                + "not run exactly their pinned generation's code (" + new TreeMap<>(problemKinds) + "); first:\n"
                + String.join("\n\n", firstFailures));
        }
    }

    @AfterContainer
    static void tally() throws Exception {
        try {
            report();
        } finally {
            if (load != null) {
                load.close();
            }
        }
    }
}
