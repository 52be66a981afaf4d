package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.NewClass;
import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.diff.BytecodeCheck;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.LambdaPairing;
import io.livepatch4j.patch.diff.Refusal;
import io.livepatch4j.patch.rewrite.ClassRenames;
import io.livepatch4j.patch.rewrite.ImplClassWriter;
import io.livepatch4j.patch.rewrite.ImplNames;
import io.livepatch4j.patch.rewrite.PatchShape;
import io.livepatch4j.patch.rewrite.RewriteContext;
import io.livepatch4j.patch.rewrite.RewriteException;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes a patch from two builds of one program: finds the changed and added classes, decides with
 * {@link ClassDiff} what a running JVM can take, rewrites every changed class the way the agent will
 * (and checks the result and every added class with the bytecode verifier), and reports all of it.
 * A build with refusals produces no patch: a patch that leaves out part of a change could leave the
 * program inconsistent. {@code --only} selects what a fix needs.
 */
public final class PatchBuilder {

    /** How to build: the patch id and description, and the classes to include (null: all). */
    public record Options(String id, String description, List<String> only, String compiler) {
    }

    /** One class of the report. */
    public record ClassReport(String name, String status, List<Change> changes, List<Refusal> refusals) {
    }

    /**
     * What the build found. {@code patch} is null when anything was refused or nothing changed.
     * {@code notCarried} lists every difference the patch leaves out (see {@link NotCarried});
     * {@code debugOnlyClasses} counts classes that differ only in debug information (line numbers,
     * local variable names), which a patch has no reason to carry.
     */
    public record Report(Patch patch, List<ClassReport> classes, List<Refusal> refusals, List<String> warnings,
                         int oldClasses, int newClasses, int commonClasses, int unchangedClasses,
                         List<String> removedClasses, List<NotCarried> notCarried, int debugOnlyClasses) {

        /** Counts over the classes the patch includes (--only). */
        public long changedMethods() {
            return count(ChangeKind.METHOD_BODY);
        }

        public long addedMethods() {
            return count(ChangeKind.METHOD_ADDED);
        }

        public long addedFields() {
            return count(ChangeKind.FIELD_ADDED);
        }

        private long count(ChangeKind kind) {
            return classes.stream().filter(c -> !c.status().startsWith("left out"))
                .flatMap(c -> c.changes().stream()).filter(c -> c.kind() == kind).count();
        }
    }

    private PatchBuilder() {}

    /** A patch from two builds known by their class files only. */
    public static Report build(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild, Options options) {
        return build(Builds.Build.ofClasses(oldBuild), Builds.Build.ofClasses(newBuild), options);
    }

    public static Report build(Builds.Build oldFiles, Builds.Build newFiles, Options options) {
        Map<String, byte[]> oldBuild = oldFiles.classes();
        // Anonymous classes under the names of their partners in the old build (AnonymousClasses).
        AnonymousClasses.Pairing anonymous = AnonymousClasses.pair(oldBuild, newFiles.classes());
        Map<String, byte[]> newBuild = AnonymousClasses.apply(newFiles.classes(), anonymous.renames());
        Map<String, String> javacNames = new HashMap<>();
        anonymous.renames().forEach((javac, running) -> javacNames.put(running, javac));
        List<NotCarried> notCarried = new ArrayList<>(anonymous.notCarried());
        Set<String> common = new TreeSet<>(oldBuild.keySet());
        common.retainAll(newBuild.keySet());
        List<String> warnings = new ArrayList<>();
        List<Refusal> refusals = new ArrayList<>();
        int smaller = Math.min(oldBuild.size(), newBuild.size());
        if (common.size() * 2 < smaller) {
            refusals.add(new Refusal("(builds)", null, "OLD and NEW share only " + common.size() + " of their classes ("
                + oldBuild.size() + " and " + newBuild.size() + "): they are not two builds of one program",
                "give the jar or classes folder of the build the JVM runs as --old and the fixed build as --new"));
            return new Report(null, List.of(), refusals, warnings, oldBuild.size(), newBuild.size(), common.size(), 0,
                List.of(), List.of(), 0);
        }
        Selector only = new Selector(options.only(), javacNames);
        List<String> removed = new ArrayList<>();
        for (String name : oldBuild.keySet()) {
            if (!newBuild.containsKey(name) && only.selects(name) && !SwitchMaps.isSwitchMap(oldBuild.get(name))) {
                removed.add(name);
            }
        }

        // Switch maps are never patched: the patch carries copies of those its code uses (SwitchMaps).
        Set<String> maps = new java.util.HashSet<>();
        for (Map.Entry<String, byte[]> e : newBuild.entrySet()) {
            if (SwitchMaps.isSwitchMap(e.getValue())) {
                maps.add(e.getKey());
            }
        }
        for (Map.Entry<String, byte[]> e : oldBuild.entrySet()) {
            if (!newBuild.containsKey(e.getKey()) && SwitchMaps.isSwitchMap(e.getValue())) {
                maps.add(e.getKey());
            }
        }

        // 1. Compare every common class, its lambda bodies paired by creation site as the agent will
        //    pair them (the patch carries javac's bytes; the agent renames them against what runs).
        List<ClassReport> reports = new ArrayList<>();
        Map<String, ClassDiff.Result> changed = new HashMap<>();
        Map<String, byte[]> aligned = new HashMap<>(newBuild);
        int unchanged = 0;
        int debugOnly = 0;
        Map<String, List<NotCarried>> guesses = new HashMap<>();
        for (String name : common) {
            if (maps.contains(name)) {
                continue;
            }
            ClassDiff.Result diff;
            try {
                aligned.put(name, LambdaPairing.align(oldBuild.get(name), newBuild.get(name)));
                diff = ClassDiff.compare(oldBuild.get(name), aligned.get(name));
                for (String lambda : LambdaPairing.uncertainPairings(oldBuild.get(name), newBuild.get(name))) {
                    guesses.computeIfAbsent(name, n -> new ArrayList<>()).add(new NotCarried(name, lambda,
                        "this lambda's creation site moved in a method whose code changed around it; lambda objects "
                            + "made before the patch run the old body closest in code to a new one, which may not be "
                            + "the body the new build makes at the site that made them",
                        "if lambda objects made before the patch outlive the transition (listeners, cached "
                            + "callbacks), keep the lambdas in place in the fix, or restart"));
                }
            } catch (RuntimeException e) {
                refusals.add(new Refusal(name, null, "the class file cannot be read (" + e + ")", "rebuild it with javac"));
                continue;
            }
            if (diff.unchanged()) {
                unchanged++;
                if (!java.util.Arrays.equals(oldBuild.get(name), newBuild.get(name))) {
                    debugOnly++;
                }
                continue;
            }
            diff.warnings().forEach(w -> warnings.add(name + ": " + w));
            changed.put(name, diff);
        }

        // 2. Select: --only, nested classes of selected ones, and the added classes they need.
        Set<String> selected = new LinkedHashSet<>();
        for (String name : changed.keySet()) {
            if (only.selects(name)) {
                selected.add(name);
            }
        }
        Set<String> added = new TreeSet<>(newBuild.keySet());
        added.removeAll(oldBuild.keySet());
        added.removeAll(maps);
        Set<String> addedSelected = new LinkedHashSet<>();
        for (String name : added) {
            if (options.only() == null || only.selects(name)) {
                addedSelected.add(name);
            }
        }
        addReferencedNewClasses(selected, addedSelected, added, newBuild);
        for (String name : new TreeSet<>(changed.keySet())) {
            ClassDiff.Result diff = changed.get(name);
            String status = !selected.contains(name) ? "left out (--only)" : !diff.patchable() ? "refused"
                : diff.onlyNotCarried() ? "not carried" : "patchable";
            reports.add(new ClassReport(name, status, diff.changes(), diff.refusals()));
            if (selected.contains(name)) {
                refusals.addAll(diff.refusals());
                notCarried.addAll(diff.notCarried());
                notCarried.addAll(guesses.getOrDefault(name, List.of()));
            }
        }
        // A class whose only differences are ones no patch carries has no code to patch.
        selected.removeIf(name -> changed.get(name).onlyNotCarried());
        notCarried.addAll(BuildWideDiff.compare(oldBuild, newBuild, changed, selected, removed));
        notCarried.addAll(Resources.compare(oldFiles.resources(), newFiles.resources(), only::selectsResource));
        for (String name : added) {
            reports.add(new ClassReport(name, addedSelected.contains(name) ? "added" : "left out (--only)",
                List.of(new Change(ChangeKind.CLASS_ADDED, name)), List.of()));
        }

        // 3. What selected code needs from classes left out: members the new build adds to them do not
        //    exist in the running JVM. The switch maps it uses come as copies.
        refusals.addAll(missingInLeftOutClasses(selected, addedSelected, oldBuild, newBuild, maps));
        CrossClassRefs.Found cross = CrossClassRefs.check(oldBuild, newBuild, changed, selected, addedSelected);
        refusals.addAll(cross.refusals());
        notCarried.addAll(cross.notCarried());
        Map<String, String> renames = new java.util.TreeMap<>();
        for (String user : union(selected, addedSelected)) {
            for (String ref : referencedClasses(newBuild.get(user))) {
                if (maps.contains(ref) && newBuild.containsKey(ref)) {
                    renames.computeIfAbsent(ref, m -> SwitchMaps.copyName(m, newBuild.get(m)));
                }
            }
        }
        Map<String, byte[]> copies = new java.util.TreeMap<>();
        renames.forEach((map, copy) -> {
            copies.put(copy, SwitchMaps.copy(newBuild.get(map), map, copy));
            reports.add(new ClassReport(map, "switch map", List.of(new Change(ChangeKind.CLASS_ADDED, copy,
                "a copy of javac's switch map, which the patch's code uses")), List.of()));
        });
        Map<String, byte[]> withCopies = new HashMap<>(aligned);
        withCopies.putAll(copies);

        // 4. Rewrite what will be patched as the agent will, and verify.
        PatchShape shape = shape(selected, union(addedSelected, copies.keySet()), oldBuild, withCopies);
        for (String name : selected) {
            if (!changed.get(name).patchable()) {
                continue;
            }
            String internal = name.replace('.', '/');
            try {
                byte[] impl = ImplClassWriter.write(ClassRenames.apply(aligned.get(name), renames), new RewriteContext(internal,
                    ImplNames.implClass(internal), ClassShape.of(oldBuild.get(name)).isInterface(), shape));
                refusals.addAll(BytecodeCheck.check(impl));
            } catch (RewriteException e) {
                refusals.add(rewriteRefusal(name, e));
            }
            refusals.addAll(BytecodeCheck.check(newBuild.get(name)));
        }
        for (String name : addedSelected) {
            refusals.addAll(BytecodeCheck.check(newBuild.get(name)));
        }
        copies.values().forEach(bytes -> refusals.addAll(BytecodeCheck.check(bytes)));

        Patch patch = null;
        if (refusals.isEmpty() && !(selected.isEmpty() && addedSelected.isEmpty())) {
            List<ClassPatch> classes = new ArrayList<>();
            for (String name : selected) {
                classes.add(new ClassPatch(name, Sha256.hex(oldBuild.get(name)), newBuild.get(name),
                    changed.get(name).changes()));
            }
            List<NewClass> newClasses = new ArrayList<>();
            for (String name : addedSelected) {
                newClasses.add(new NewClass(name, newBuild.get(name)));
            }
            copies.forEach((name, bytes) -> newClasses.add(new NewClass(name, bytes)));
            if (!classes.isEmpty()) {
                patch = new Patch(options.id() != null ? options.id() : defaultId(classes, newClasses),
                    options.compiler(), createdAt(), options.description(), classes, newClasses, null, notCarried, renames);
            } else {
                refusals.add(new Refusal("(patch)", null, "the selection changes no class that is already loaded; a "
                    + "patch of added classes only would never run", "include the classes that use them"));
            }
        }
        return new Report(patch, reports, refusals, warnings, oldBuild.size(), newBuild.size(), common.size(), unchanged,
            removed, List.copyOf(notCarried), debugOnly);
    }

    /**
     * Members that selected code uses and that exist only in the new build of a class left out of
     * the patch (a synthetic accessor javac added, say): the running JVM does not have them.
     */
    private static List<Refusal> missingInLeftOutClasses(Set<String> selected, Set<String> added,
                                                         Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild,
                                                         Set<String> maps) {
        List<Refusal> missing = new ArrayList<>();
        Set<String> reported = new LinkedHashSet<>();
        Map<String, ClassShape> oldShapes = new HashMap<>();
        Map<String, ClassShape> newShapes = new HashMap<>();
        List<String> users = new ArrayList<>(selected);
        users.addAll(added);
        for (String user : users) {
            for (MemberRefs.Ref ref : MemberRefs.of(newBuild.get(user))) {
                String owner = ref.owner().replace('/', '.');
                if (selected.contains(owner) || added.contains(owner) || maps.contains(owner) || !oldBuild.containsKey(owner)
                    || !newBuild.containsKey(owner)) {
                    continue;
                }
                ClassShape before = oldShapes.computeIfAbsent(owner, o -> ClassShape.of(oldBuild.get(o)));
                ClassShape after = newShapes.computeIfAbsent(owner, o -> ClassShape.of(newBuild.get(o)));
                boolean inOld = ref.field() ? before.hasField(ref.name(), ref.desc()) : before.hasMethod(ref.name(), ref.desc());
                boolean inNew = ref.field() ? after.hasField(ref.name(), ref.desc()) : after.hasMethod(ref.name(), ref.desc());
                String member = ref.name() + (ref.field() ? ":" : "") + ref.desc();
                if (!inOld && inNew && reported.add(owner + "#" + member)) {
                    missing.add(new Refusal(user, null, "it uses " + owner + "#" + member + ", which the new build adds to "
                        + owner + ", a class left out of the patch: the running JVM does not have it",
                        "include " + owner + " (--only " + owner + ")"));
                }
            }
        }
        return missing;
    }

    /** Added classes that selected code refers to, transitively: a fix that adds a helper class needs it. */
    private static void addReferencedNewClasses(Set<String> selected, Set<String> addedSelected, Set<String> added,
                                                Map<String, byte[]> newBuild) {
        Deque<String> todo = new ArrayDeque<>(selected);
        todo.addAll(addedSelected);
        Set<String> seen = new LinkedHashSet<>(todo);
        while (!todo.isEmpty()) {
            for (String ref : referencedClasses(newBuild.get(todo.pop()))) {
                if (added.contains(ref) && seen.add(ref)) {
                    addedSelected.add(ref);
                    todo.add(ref);
                }
            }
        }
    }

    /** Every class the class file refers to (types, owners, descriptors, signatures). */
    static Set<String> referencedClasses(byte[] bytes) {
        Set<String> names = new LinkedHashSet<>();
        new ClassReader(bytes).accept(new ClassRemapper(new ClassWriter(0), new Remapper() {
            @Override
            public String map(String internalName) {
                names.add(internalName.replace('/', '.'));
                return internalName;
            }
        }), 0);
        return names;
    }

    /** A rewrite's message is "Class: reason; what to do": split it so that the class is named once. */
    private static Refusal rewriteRefusal(String name, RewriteException e) {
        String m = e.getMessage();
        if (m.startsWith(name + ": ")) {
            m = m.substring(name.length() + 2);
        }
        int advice = m.lastIndexOf("; ");
        return advice < 0 ? new Refusal(name, null, m, "change the code as the message says")
            : new Refusal(name, null, m.substring(0, advice), m.substring(advice + 2));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** Now, or SOURCE_DATE_EPOCH when set, so that a reproducible build makes the same patch bytes. */
    private static String createdAt() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && epoch.matches("\\d+")) {
            return Instant.ofEpochSecond(Long.parseLong(epoch)).toString();
        }
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static PatchShape shape(Set<String> selected, Set<String> added, Map<String, byte[]> oldBuild,
                                    Map<String, byte[]> newBuild) {
        Map<String, PatchShape.Entry> entries = new HashMap<>();
        for (String name : selected) {
            entries.put(name.replace('.', '/'), new PatchShape.Entry(ClassShape.of(oldBuild.get(name)),
                ClassShape.of(newBuild.get(name))));
        }
        Map<String, ClassShape> newShapes = new HashMap<>();
        for (String name : added) {
            newShapes.put(name.replace('.', '/'), ClassShape.of(newBuild.get(name)));
        }
        return new PatchShape(entries, newShapes);
    }

    private static String defaultId(List<ClassPatch> classes, List<NewClass> added) {
        StringBuilder all = new StringBuilder();
        classes.forEach(c -> all.append(c.name()).append(c.baseSha256()).append(c.targetSha256()));
        added.forEach(c -> all.append(c.name()).append(c.sha256()));
        String first = classes.get(0).name();
        String simple = first.substring(first.lastIndexOf('.') + 1);
        return simple.toLowerCase() + "-" + Sha256.hex(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .substring(0, 10);
    }

    /** --only: exact binary names, a trailing ".*" for a package (and below), nested classes included. */
    private static final class Selector {
        private final List<String> patterns;

        /** Names of renamed classes (running name to javac's): --only names what javac named. */
        private final Map<String, String> javacNames;

        Selector(List<String> patterns, Map<String, String> javacNames) {
            this.patterns = patterns == null || patterns.isEmpty() ? null : List.copyOf(patterns);
            this.javacNames = javacNames;
        }

        /** A resource is selected with the package it sits in. */
        boolean selectsResource(String path) {
            if (patterns == null) {
                return true;
            }
            int slash = path.lastIndexOf('/');
            String pkg = slash < 0 ? "" : path.substring(0, slash).replace('/', '.');
            for (String p : patterns) {
                String base = p.endsWith(".*") ? p.substring(0, p.length() - 2) : p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "";
                if (pkg.equals(base) || (p.endsWith(".*") && pkg.startsWith(base + "."))) {
                    return true;
                }
            }
            return false;
        }

        boolean selects(String name) {
            if (patterns == null) {
                return true;
            }
            name = javacNames.getOrDefault(name, name);
            for (String p : patterns) {
                if (p.endsWith(".*") ? name.startsWith(p.substring(0, p.length() - 1))
                    : name.equals(p) || name.startsWith(p + "$")) {
                    return true;
                }
            }
            return false;
        }
    }
}
