package io.livepatch4j.release;

import io.livepatch4j.patch.build.Builds;
import io.livepatch4j.patch.build.PatchBuilder;
import io.livepatch4j.patch.diff.Refusal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What lp4j's builder (PatchBuilder, the code behind 'lp4j build') makes of one release pair, in the
 * terms of the coverage table: classes changed in code, patchable, refused (with their reasons),
 * added; and the largest selection of patchable classes that builds into a patch (what 'lp4j build
 * --only' can write today). Nothing here decides what is patchable: it only counts the builder's
 * answers, so the numbers improve as the builder does.
 *
 * <p>A changed class is one the builder reports as patchable or refused: classes whose bytes differ
 * only by recompilation or debug information are "unchanged" to the builder, and classes that differ
 * only in what no patch carries (annotations, say) are counted apart as metadata-only. A class the
 * diff finds patchable counts as refused when any refusal of the whole build names it (a rewrite or
 * verification refusal, say).
 */
public record PairCoverage(Corpus.Pair pair, int oldClasses, int newClasses, int unchangedClasses,
                           Set<String> patchable, Map<String, List<Refusal>> refused, Set<String> added,
                           Set<String> metadataOnly, List<Refusal> buildRefusals, boolean wholePairBuilds,
                           Set<String> selection, List<Refusal> selectionRefusals, int selectionRounds) {

    /** Rounds of leaving out what a build refuses before giving up on a selection. */
    private static final int MAX_ROUNDS = 10;

    public int changed() {
        return patchable.size() + refused.size();
    }

    /** Each reason class with the classes refused for it (a class may have several reasons). */
    public Map<String, Set<String>> refusedByReason() {
        Map<String, Set<String>> byReason = new TreeMap<>();
        refused.forEach((name, refusals) -> refusals.forEach(r ->
            byReason.computeIfAbsent(RefusalReasons.of(r), k -> new TreeSet<>()).add(name)));
        return byReason;
    }

    /** The --only list of the patch the apply test builds: null for the whole pair. */
    public List<String> only() {
        return wholePairBuilds ? null : List.copyOf(selection);
    }

    public static PairCoverage of(Corpus.Pair pair, Path corpusDir) {
        Builds.Build oldBuild;
        Builds.Build newBuild;
        try {
            oldBuild = Builds.readBuild(pair.oldJar(corpusDir));
            newBuild = Builds.readBuild(pair.newJar(corpusDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the jars of " + pair.id() + " in " + corpusDir
                + " (run 'mvn -pl release-tests -am generate-test-resources' to fetch them)", e);
        }
        PatchBuilder.Report whole = PatchBuilder.build(oldBuild, newBuild, options(pair, null));
        Map<String, List<Refusal>> refusalsByClass = new LinkedHashMap<>();
        for (Refusal r : whole.refusals()) {
            refusalsByClass.computeIfAbsent(r.className(), n -> new ArrayList<>()).add(r);
        }
        Set<String> patchable = new TreeSet<>();
        Map<String, List<Refusal>> refused = new TreeMap<>();
        Set<String> added = new TreeSet<>();
        Set<String> metadataOnly = new TreeSet<>();
        for (PatchBuilder.ClassReport c : whole.classes()) {
            switch (c.status()) {
                case "patchable" -> {
                    if (refusalsByClass.containsKey(c.name())) {
                        refused.put(c.name(), refusalsByClass.get(c.name()));
                    } else {
                        patchable.add(c.name());
                    }
                }
                case "refused" -> refused.put(c.name(), refusalsByClass.getOrDefault(c.name(),
                    c.refusals().isEmpty() ? List.of(new Refusal(c.name(), null, "refused (no reason given)", "")) : c.refusals()));
                case "added" -> added.add(c.name());
                case "not carried" -> metadataOnly.add(c.name());
                default -> { } // switch maps: javac's, copied by the patch, not a change of the program
            }
        }
        List<Refusal> buildRefusals = whole.refusals().stream()
            .filter(r -> !patchable.contains(r.className()) && !refused.containsKey(r.className())).toList();
        boolean wholeBuilds = whole.patch() != null;

        // The largest selection that builds: start from the patchable classes, leave out whatever a
        // build of the selection refuses (with the outer classes of refused nested ones, since --only
        // of a class selects its nested classes), until a build writes a patch.
        Set<String> selection = new TreeSet<>(wholeBuilds ? Set.of() : patchable);
        List<Refusal> selectionRefusals = new ArrayList<>();
        int rounds = 0;
        if (!wholeBuilds) {
            while (!selection.isEmpty() && rounds < MAX_ROUNDS) {
                rounds++;
                PatchBuilder.Report r = PatchBuilder.build(oldBuild, newBuild, options(pair, List.copyOf(selection)));
                if (r.patch() != null) {
                    break;
                }
                Set<String> out = new LinkedHashSet<>();
                Map<String, String> neededBy = neededBy(r);
                for (Refusal refusal : r.refusals()) {
                    selectionRefusals.add(refusal);
                    for (String name : withUsers(refusal.className(), neededBy)) {
                        for (String s : selection) {
                            if (name.equals(s) || name.startsWith(s + "$") || name.startsWith("(")) {
                                out.add(s);
                            }
                        }
                    }
                }
                if (out.isEmpty()) {
                    selection.clear(); // a refusal this loop cannot attribute: no selection it knows builds
                }
                selection.removeAll(out);
            }
            if (rounds == MAX_ROUNDS) {
                selection.clear();
            }
        }
        return new PairCoverage(pair, whole.oldClasses(), whole.newClasses(), whole.unchangedClasses(), patchable,
            refused, added, metadataOnly, buildRefusals, wholeBuilds, selection, selectionRefusals, rounds);
    }

    /** Each added class the build brought in because a class's new code uses it, with that class. */
    private static Map<String, String> neededBy(PatchBuilder.Report r) {
        Map<String, String> users = new TreeMap<>();
        for (PatchBuilder.ClassReport c : r.classes()) {
            if (c.includedBy() != null && c.includedBy().startsWith(NEEDED_BY)) {
                users.put(c.name(), c.includedBy().substring(NEEDED_BY.length()));
            }
        }
        return users;
    }

    /**
     * A refused class and the classes that brought it into the patch, in turn: leaving out the class
     * whose code needs a refused added class leaves that class out too.
     */
    private static Set<String> withUsers(String refused, Map<String, String> neededBy) {
        Set<String> names = new LinkedHashSet<>();
        String name = refused;
        while (name != null && names.add(name)) {
            name = neededBy.get(name);
        }
        return names;
    }

    private static final String NEEDED_BY = "needed by ";

    /** The classes the patch of this pair carries: all patchable ones, or the selection. */
    public Set<String> patchedClasses() {
        return wholePairBuilds ? patchable : selection;
    }

    static PatchBuilder.Options options(Corpus.Pair pair, List<String> only) {
        return new PatchBuilder.Options(pair.id() + "-" + pair.newVersion(), pair.cve() + ": " + pair.fix(), only,
            "livepatch4j release-tests");
    }
}
