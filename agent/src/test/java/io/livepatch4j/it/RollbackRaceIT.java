package io.livepatch4j.it;

import io.livepatch4j.agent.tooling.ApplyResult;
import io.livepatch4j.agent.tooling.LivePatch;
import io.livepatch4j.agent.tooling.Status;
import io.livepatch4j.agent.tooling.Strategy;
import io.livepatch4j.it.support.GenChecker;
import io.livepatch4j.it.support.GenLoad;
import io.livepatch4j.it.support.GenTrace;
import io.livepatch4j.it.support.QuietAgent;
import io.livepatch4j.it.support.SmallPatch;
import io.livepatch4j.patch.PatchException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rollback racing the completion of a transition (issue 10): thousands of times, apply a small
 * patch and roll it back at once or a few microseconds later, while units of work run, so that the
 * rollback lands before, during or just after the apply's transition completes. Half the races roll
 * back to the code as loaded (v1: apply v2 or v3, roll back), half to a patch's code (v2 live: apply
 * v3 built from v2, roll back to v2's generation). After each race:
 * units started after the rollback returned (a probe, and the background units) must run the
 * rolled-back-to code, and only it; {@code LivePatch.currentGeneration()},
 * {@code LivePatch.status().currentGeneration()} and the rollback's result must agree, right after
 * the rollback returns and again when its transition ended.
 *
 * <p>Races: {@code -Dlp4j.race.count=N} (default 400 in the suite, which runs it on three JVMs; docs/results/correctness.md has the full count).
 */
class RollbackRaceIT {

    private static final int RACES = Integer.getInteger("lp4j.race.count", 400);
    private static final Duration TRANSITION_BOUND = Duration.ofSeconds(10);

    @Test
    void rollbackRacingCompletionNeverRunsWrongCode() throws Exception {
        QuietAgent.warningsOnly();
        SmallPatch small = SmallPatch.make("Race");
        Map<Long, Integer> versionOf = new ConcurrentHashMap<>();
        versionOf.put(LivePatch.currentGeneration(), 1);
        GenChecker checker = new GenChecker();
        Map<String, Integer> wrong = new TreeMap<>();
        List<String> firstWrong = new ArrayList<>();
        long units = 0;
        int immediate = 0;
        int afterCompletion = 0;
        int toPatchCode = 0;
        Map<String, Integer> wrongProbes = new TreeMap<>();
        Map<String, Integer> racesBy = new TreeMap<>();
        try (GenLoad load = new GenLoad(3, false)) {
            load.target(small.instance, "Race");
            load.published(LivePatch.currentGeneration());
            load.start();
            long g0 = LivePatch.currentGeneration();
            long base = g0;
            for (int race = 0; race < RACES; race++) {
                if (!LivePatch.awaitTransition(TRANSITION_BOUND)) {
                    note(wrong, firstWrong, "transition did not complete", "before race " + race + ": "
                        + LivePatch.status().transition());
                    break;
                }
                ThreadLocalRandom random = ThreadLocalRandom.current();
                ApplyResult a;
                ApplyResult r;
                int delayMicros = delayMicros();
                boolean applyRunning;
                try {
                    // Now and then the code the race rolls back to changes between v1 (the code as
                    // loaded) and v2 (a patch's): rolling back to a patch's code is the case where the
                    // completing transition releases versions the rollback needs.
                    if (random.nextBoolean()) {
                        ApplyResult s = versionOf.get(base) == 1 ? LivePatch.apply(small.patch, Strategy.LOCAL)
                            : LivePatch.rollback(g0, Strategy.LOCAL);
                        versionOf.put(s.generation(), versionOf.get(base) == 1 ? 2 : 1);
                        load.published(s.generation());
                        base = s.generation();
                        if (!LivePatch.awaitTransition(TRANSITION_BOUND)) {
                            note(wrong, firstWrong, "transition did not complete", "setting up race " + race);
                            break;
                        }
                    }
                    boolean fromV2 = versionOf.get(base) == 2;
                    boolean toV3 = fromV2 || random.nextBoolean();
                    a = LivePatch.apply(fromV2 ? small.patchV2toV3 : toV3 ? small.patchV3 : small.patch, Strategy.LOCAL);
                    versionOf.put(a.generation(), toV3 ? 3 : 2);
                    load.published(a.generation());
                    if (delayMicros < 0) {
                        afterCompletion++;
                        if (!LivePatch.awaitTransition(TRANSITION_BOUND)) {
                            note(wrong, firstWrong, "transition did not complete", "race " + race + ": "
                                + LivePatch.status().transition());
                            break;
                        }
                    } else if (delayMicros == 0) {
                        immediate++;
                    } else {
                        long until = System.nanoTime() + delayMicros * 1_000L;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    }
                    applyRunning = !LivePatch.awaitTransition(Duration.ZERO);
                    r = LivePatch.rollback(base, Strategy.LOCAL);
                    versionOf.put(r.generation(), versionOf.get(base));
                    load.published(r.generation());
                    base = r.generation();
                    if (versionOf.get(base) != 1) {
                        toPatchCode++;
                    }
                } catch (PatchException e) {
                    note(wrong, firstWrong, "refused", "race " + race + ": " + e.getMessage());
                    continue;
                }
                agree(wrong, firstWrong, "right after the rollback returned", race, r);
                String bucket = (versionOf.get(base) == 1 ? "to v1" : "to v2") + ", rollback "
                    + (delayMicros < 0 ? "after completion" : delayMicros == 0 ? "at once"
                    : delayMicros < 50 ? "after 1-49 µs" : "after 50-3000 µs")
                    + (applyRunning ? " (apply still running)" : " (apply complete)");
                racesBy.merge(bucket, 1, Integer::sum);
                GenTrace.Unit probe = load.probe();
                units++;
                GenChecker.Problem p = checker.check(probe, versionOf, SmallPatch::sites);
                if (p != null) {
                    note(wrong, firstWrong, "probe after the rollback: " + p.kind(), "race " + race + " (delay "
                        + delayMicros + " µs): " + p.detail());
                    wrongProbes.merge(bucket, 1, Integer::sum);
                } else if (!versionOf.get(probe.generation).equals(versionOf.get(r.generation()))) {
                    note(wrong, firstWrong, "probe after the rollback pinned other code", "race " + race + ": " + probe);
                }
                if (!LivePatch.awaitTransition(TRANSITION_BOUND)) {
                    note(wrong, firstWrong, "transition did not complete", "race " + race + ": "
                        + LivePatch.status().transition());
                    break;
                }
                agree(wrong, firstWrong, "after the rollback's transition ended", race, r);
                Status st = LivePatch.status();
                if (st.transition() != null && "running".equals(st.transition().state())) {
                    note(wrong, firstWrong, "status says running after awaitTransition", "race " + race + ": "
                        + st.transition());
                }
                String state = st.generations().stream().filter(g -> g.number() == r.generation())
                    .map(Status.GenerationStatus::state).findFirst().orElse("missing");
                if (!state.equals("current")) {
                    note(wrong, firstWrong, "rollback generation not current after its transition", "race " + race
                        + ": G" + r.generation() + " is " + state + "; " + st.generations().stream()
                        .filter(g -> g.number() >= a.generation()).toList());
                }
                for (GenTrace.Unit u : load.drain()) {
                    units++;
                    GenChecker.Problem q = checker.check(u, versionOf, SmallPatch::sites);
                    if (q != null) {
                        note(wrong, firstWrong, "background unit: " + q.kind(), "race " + race + ": " + q.detail());
                    }
                }
            }
        }
        int total = wrong.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("[race] " + RACES + " races (" + immediate + " with the rollback at once, " + afterCompletion
            + " after the apply's transition completed, " + toPatchCode
            + " back to a patch's code), " + units
            + " units checked, wrong outcomes " + total + " " + wrong);
        Map<String, String> probes = new TreeMap<>();
        racesBy.forEach((b, n) -> probes.put(b, wrongProbes.getOrDefault(b, 0) + "/" + n));
        System.out.println("[race] wrong probes/races, by the code rolled back to and when: " + probes);
        firstWrong.forEach(w -> System.out.println("[race] " + w));
        assertEquals(Map.of(), wrong, "no wrong outcome in " + RACES + " races; first: " + firstWrong);
    }

    /**
     * When to roll back after the apply returned: at once, after a few microseconds, or after up to
     * 3 ms, so that some rollbacks land just as the apply's transition completes; and, as a control
     * (-1), once it has completed. A quarter of the races each.
     */
    private static int delayMicros() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return switch (r.nextInt(4)) {
            case 3 -> -1;
            case 0 -> 0;
            case 1 -> r.nextInt(1, 50);
            default -> (int) Math.exp(r.nextDouble(Math.log(50), Math.log(3000)));
        };
    }

    /** currentGeneration(), status() and the rollback's result name the same generation. */
    private static void agree(Map<String, Integer> wrong, List<String> first, String when, int race, ApplyResult r) {
        long current = LivePatch.currentGeneration();
        Status st = LivePatch.status();
        if (current != r.generation() || st.currentGeneration() != r.generation()) {
            note(wrong, first, "generation disagrees " + when, "race " + race + ": rollback returned G" + r.generation()
                + " (from G" + r.fromGeneration() + "), currentGeneration() G" + current + ", status() G"
                + st.currentGeneration() + ", transition " + st.transition());
        }
    }

    private static void note(Map<String, Integer> wrong, List<String> first, String kind, String detail) {
        wrong.merge(kind, 1, Integer::sum);
        if (first.size() < 5) {
            first.add(kind + ": " + detail);
        }
    }
}
