package io.livepatch4j.bench.bigpatch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the patches of one release pair with {@code lp4j build --json}: first the classes a patch of
 * the whole pair can carry (what lp4j refuses is left out, and what that leaves unlinkable in turn,
 * until a build passes), then patches of about N of those classes, chosen among the classes the
 * workload has loaded first, and the two that are meant to be refused.
 */
final class PatchBuilds {

    /** One patch written: its class count as lp4j reports it ({@code summary.patchable}), its selection. */
    record Patch(String name, Path file, int classes, int added, List<String> only, double buildMillis) {
    }

    private static final int MAX_ROUNDS = 8;

    private final Lp4jCli lp4j;
    private final Path dir;

    PatchBuilds(Lp4jCli lp4j, Path dir) {
        this.lp4j = lp4j;
        this.dir = dir;
    }

    /**
     * The classes of {@code old -> neu} a cumulative patch can carry, sorted: every class lp4j finds
     * patchable, less the refused ones and the outer classes of refused ones (an outer class selected
     * with --only brings its nested classes), repeated until no build refuses anything.
     */
    List<String> patchable(String old, String neu) throws IOException, InterruptedException {
        return patchable(old, neu, MAX_ROUNDS);
    }

    /** {@link #patchable(String, String)} with at most {@code rounds} checking builds (0: trust the first report). */
    List<String> patchable(String old, String neu, int rounds) throws IOException, InterruptedException {
        JsonObject all = dryRun(old, neu, List.of());
        Set<String> patchable = new TreeSet<>();
        for (JsonElement c : all.getAsJsonArray("classes")) {
            if (c.getAsJsonObject().get("status").getAsString().equals("patchable")) {
                patchable.add(c.getAsJsonObject().get("name").getAsString());
            }
        }
        Set<String> refused = refusedClasses(all);
        if (rounds == 0) {
            return withoutRefused(patchable, refused);
        }
        for (int round = 0; round < rounds; round++) {
            List<String> only = withoutRefused(patchable, refused);
            JsonObject report = dryRun(old, neu, only);
            Set<String> more = refusedClasses(report);
            if (more.isEmpty()) {
                return only;
            }
            refused.addAll(more);
        }
        throw new IllegalStateException("lp4j build " + old + " -> " + neu + " still refuses classes after "
            + MAX_ROUNDS + " rounds of leaving them out");
    }

    /**
     * Selection entries (for --only) covering {@code n} classes of {@code patchable}, preferring the
     * entries of {@code preferred} in its order, then the rest; an entry covers itself and its nested
     * classes, so one is taken only if it does not overshoot.
     */
    static List<String> choose(List<String> patchable, List<String> preferred, int n) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (String p : preferred) {
            if (patchable.contains(p)) {
                order.add(p);
            }
        }
        order.addAll(patchable);
        Set<String> covered = new TreeSet<>();
        List<String> chosen = new ArrayList<>();
        for (String entry : order) {
            if (covered.size() >= n) {
                break;
            }
            List<String> cover = patchable.stream()
                .filter(c -> (c.equals(entry) || c.startsWith(entry + "$")) && !covered.contains(c)).toList();
            if (!cover.isEmpty() && covered.size() + cover.size() <= n) {
                chosen.add(entry);
                covered.addAll(cover);
            }
        }
        return chosen;
    }

    /**
     * Writes a patch of about {@code n} classes of {@code patchable}; a class whose selected code
     * needs another one left out (lp4j refuses it) is dropped and the choice made again.
     */
    Patch subset(String name, String old, String neu, List<String> patchable, List<String> preferred, int n)
        throws IOException, InterruptedException {
        List<String> candidates = new ArrayList<>(patchable);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<String> only = choose(candidates, preferred, n);
            BuildResult r = build(name, old, neu, only);
            if (r.patch() != null) {
                return r.patch();
            }
            candidates = withoutRefused(candidates, r.refused());
        }
        throw new IllegalStateException(name + ": lp4j still refuses a selection after " + MAX_ROUNDS + " rounds");
    }

    /** Writes a patch of exactly the selection {@code only} (dropping what lp4j refuses, as {@link #subset}). */
    Patch exactly(String name, String old, String neu, List<String> only) throws IOException, InterruptedException {
        List<String> selection = new ArrayList<>(only);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            BuildResult r = build(name, old, neu, selection);
            if (r.patch() != null) {
                return r.patch();
            }
            selection = withoutRefused(selection, r.refused());
        }
        throw new IllegalStateException(name + ": lp4j still refuses the selection after " + MAX_ROUNDS + " rounds");
    }

    private record BuildResult(Patch patch, Set<String> refused) {
    }

    private BuildResult build(String name, String old, String neu, List<String> only)
        throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".lp4j");
        Files.deleteIfExists(file);
        List<String> args = new ArrayList<>(List.of("build", "--json", "--old=" + old, "--new=" + neu,
            "-o", file.toString()));
        only.forEach(c -> args.add("--only=" + c));
        Lp4jCli.Run run = lp4j.run(args);
        Files.writeString(dir.resolve(name + ".build.json"), run.stdout());
        JsonObject report = parse(run, "build " + name);
        if (run.exit() != 0) {
            Set<String> refused = refusedClasses(report);
            if (refused.isEmpty()) {
                throw new IllegalStateException("lp4j build " + name + " failed (exit " + run.exit() + ") and names no "
                    + "refused class: " + run.firstErrorLine());
            }
            return new BuildResult(null, refused);
        }
        JsonObject summary = report.getAsJsonObject("summary");
        return new BuildResult(new Patch(name, file, summary.get("patchable").getAsInt(), summary.get("added").getAsInt(),
            List.copyOf(only), run.wallMillis()), Set.of());
    }

    private JsonObject dryRun(String old, String neu, List<String> only) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("build", "--json", "--dry-run", "--old=" + old, "--new=" + neu));
        only.forEach(c -> args.add("--only=" + c));
        return parse(lp4j.run(args), "build --dry-run " + old + " -> " + neu);
    }

    private static JsonObject parse(Lp4jCli.Run run, String what) {
        try {
            return JsonParser.parseString(run.stdout()).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalStateException("lp4j " + what + " printed no JSON report (exit " + run.exit() + "): "
                + run.firstErrorLine(), e);
        }
    }

    private static Set<String> refusedClasses(JsonObject report) {
        Set<String> refused = new TreeSet<>();
        for (JsonElement r : report.getAsJsonArray("refusals")) {
            JsonElement c = r.getAsJsonObject().get("class");
            if (c != null && !c.isJsonNull()) {
                refused.add(c.getAsString());
            }
        }
        return refused;
    }

    /** {@code classes} less the refused ones and those that are outer classes of a refused one. */
    private static List<String> withoutRefused(Collection<String> classes, Set<String> refused) {
        return classes.stream().filter(c -> !refused.contains(c)
            && refused.stream().noneMatch(r -> r.startsWith(c + "$"))).sorted().toList();
    }
}
