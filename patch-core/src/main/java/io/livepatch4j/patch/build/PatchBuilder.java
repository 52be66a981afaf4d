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
import io.livepatch4j.patch.diff.InheritedOverrides;
import io.livepatch4j.patch.diff.LambdaPairing;
import io.livepatch4j.patch.diff.Refusal;
import io.livepatch4j.patch.rewrite.ClassHierarchy;
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

    /**
     * How to build: the patch id and description, the classes to include (null: all), whether
     * to include, for the selected classes, the other changed classes their new code needs to link
     * ({@code closure}), whether the patch replaces live patches or stacks on them ({@code replace},
     * see {@link Patch#replace()}), the state versions it declares, and the classes to re-initialize
     * ({@code reinitialize}, Reinitializations).
     */
    public record Options(String id, String description, List<String> only, String compiler, boolean closure,
                          boolean replace, List<io.livepatch4j.patch.PatchState> states, List<String> reinitialize) {

        public Options {
            states = states == null ? List.of() : List.copyOf(states);
            reinitialize = reinitialize == null ? List.of() : List.copyOf(reinitialize);
        }

        /** Re-initializing no class. */
        public Options(String id, String description, List<String> only, String compiler, boolean closure,
                       boolean replace, List<io.livepatch4j.patch.PatchState> states) {
            this(id, description, only, compiler, closure, replace, states, List.of());
        }

        /** A stacked patch that declares no state and re-initializes {@code reinitialize}. */
        public Options(String id, String description, List<String> only, String compiler, boolean closure,
                       List<String> reinitialize) {
            this(id, description, only, compiler, closure, false, List.of(), reinitialize);
        }

        /** A stacked patch that declares no state. */
        public Options(String id, String description, List<String> only, String compiler, boolean closure) {
            this(id, description, only, compiler, closure, false, List.of());
        }

        public Options(String id, String description, List<String> only, String compiler) {
            this(id, description, only, compiler, false);
        }
    }

    /**
     * One class of the report. {@code members} gives each changed or refused member as declared in
     * Java source, with the first line of its code in the new build (0: unknown); {@code origin}
     * is where the new build has the class (a nested library, say; empty for a plain build);
     * {@code includedBy} says why --closure or an added class's needs brought it in (null otherwise).
     */
    public record ClassReport(String name, String status, List<Change> changes, List<Refusal> refusals,
                              Map<String, JavaSyntax.Declaration> members, String origin, String includedBy) {

        public ClassReport(String name, String status, List<Change> changes, List<Refusal> refusals) {
            this(name, status, changes, refusals, Map.of(), "", null);
        }

        /** The member as declared in Java, or the key when the report has no declaration for it. */
        public JavaSyntax.Declaration declaration(String member) {
            JavaSyntax.Declaration d = members.get(member);
            return d != null ? d : new JavaSyntax.Declaration(member.contains("(") ? JavaSyntax.methodName(member) : member, 0);
        }
    }

    /**
     * What the build found. {@code patch} is null when anything was refused or nothing changed.
     * {@code notCarried} lists every difference the patch leaves out (see {@link NotCarried});
     * {@code debugOnlyClasses} counts classes that differ only in debug information (line numbers,
     * local variable names), which a patch has no reason to carry.
     */
    public record Report(Patch patch, List<ClassReport> classes, List<Refusal> refusals, List<String> warnings,
                         int oldClasses, int newClasses, int commonClasses, int unchangedClasses,
                         List<String> removedClasses, List<NotCarried> notCarried, int debugOnlyClasses,
                         List<Builds.LibraryPair> libraries, List<Builds.Duplicate> oldDuplicates,
                         List<Builds.Duplicate> newDuplicates, Set<String> unchecked) {

        Report(Patch patch, List<ClassReport> classes, List<Refusal> refusals, List<String> warnings, int oldClasses,
               int newClasses, int commonClasses, int unchangedClasses, List<String> removedClasses,
               List<NotCarried> notCarried, int debugOnlyClasses) {
            this(patch, classes, refusals, warnings, oldClasses, newClasses, commonClasses, unchangedClasses,
                removedClasses, notCarried, debugOnlyClasses, List.of(), List.of(), List.of(), Set.of());
        }

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
                diff = withInheritedOverrides(name, ClassDiff.compare(oldBuild.get(name), aligned.get(name)), oldBuild,
                    ClassShape.of(aligned.get(name)));
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
        Map<String, String> includedBy = new HashMap<>();
        addReferencedNewClasses(selected, addedSelected, added, newBuild, includedBy);
        if (options.closure()) {
            closure(selected, addedSelected, added, changed, oldBuild, newBuild, includedBy);
        }
        Hooks.Found hooks = Hooks.find(oldBuild, newBuild, added);
        refusals.addAll(hooks.refusals());
        warnings.addAll(hooks.warnings());
        for (String name : hooks.classes()) {
            if (addedSelected.add(name)) {
                includedBy.put(name, "declares the patch's callbacks or transformers");
            }
        }
        addReferencedNewClasses(selected, addedSelected, added, newBuild, includedBy);
        Reinitializations.Found reinit = Reinitializations.add(options.reinitialize(), oldBuild, newBuild, changed, maps);
        refusals.addAll(reinit.refusals());
        reinit.includedBy().forEach((name, why) -> {
            selected.add(name);
            includedBy.putIfAbsent(name, why);
        });
        for (String name : new TreeSet<>(changed.keySet())) {
            ClassDiff.Result diff = changed.get(name);
            String status = !selected.contains(name) ? "left out (--only)" : !diff.patchable() ? "refused"
                : diff.onlyNotCarried() ? "not carried" : "patchable";
            reports.add(new ClassReport(name, status, diff.changes(), diff.refusals(),
                status.startsWith("left out") ? Map.of() : declarations(oldBuild.get(name), newBuild.get(name), diff),
                newFiles.origins().getOrDefault(name, ""), includedBy.get(name)));
            if (selected.contains(name)) {
                // Notes about a class the patch leaves out would be about code that does not change.
                diff.warnings().forEach(w -> warnings.add(name + ": " + w));
                refusals.addAll(diff.refusals());
                notCarried.addAll(diff.notCarried());
                notCarried.addAll(guesses.getOrDefault(name, List.of()));
            }
        }
        // A class whose only differences are ones no patch carries has no code to patch.
        selected.removeIf(name -> changed.get(name).onlyNotCarried());
        notCarried.addAll(BuildWideDiff.compare(oldBuild, newBuild, changed, selected, removed));
        notCarried.addAll(Resources.compareDeployed(oldFiles, newFiles, only::selectsResource));
        for (String name : added) {
            reports.add(new ClassReport(name, addedSelected.contains(name) ? "added" : "left out (--only)",
                List.of(new Change(ChangeKind.CLASS_ADDED, name)), List.of(), Map.of(),
                newFiles.origins().getOrDefault(name, ""), includedBy.get(name)));
        }

        // 3. What selected code needs from classes left out: members the new build adds to them do not
        //    exist in the running JVM. The switch maps it uses come as copies.
        CrossClassRefs.Found cross = CrossClassRefs.check(oldBuild, newBuild, changed, selected, addedSelected);
        refusals.addAll(cross.refusals());
        notCarried.addAll(cross.notCarried());
        refusals.addAll(AddedSupertypes.check(oldBuild, newBuild, addedSelected, includedBy));
        warnings.addAll(oldBodiesCalled(selected, addedSelected, changed, newBuild));
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

        // 3b. Every reference the patch's code makes must resolve in the JVM after the apply (LinkCheck).
        Set<String> unchecked = linkCheck(selected, addedSelected, copies, changed, oldBuild, newBuild, aligned, renames,
            refusals);

        // 4. Rewrite what will be patched as the agent will, and verify.
        PatchShape shape = shape(selected, union(addedSelected, copies.keySet()), oldBuild, withCopies, reinit.fields());
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
                    changed.get(name).changes(), reinit.fields().containsKey(name)));
            }
            List<NewClass> newClasses = new ArrayList<>();
            for (String name : addedSelected) {
                newClasses.add(new NewClass(name, newBuild.get(name)));
            }
            copies.forEach((name, bytes) -> newClasses.add(new NewClass(name, bytes)));
            if (!classes.isEmpty()) {
                patch = new Patch(options.id() != null ? options.id() : defaultId(classes, newClasses),
                    options.compiler(), createdAt(), options.description(), classes, newClasses, null, notCarried, renames,
                    options.replace(), options.states(), hooks.hooks());
            } else {
                refusals.add(new Refusal("(patch)", null, "the selection changes no class that is already loaded; a "
                    + "patch of added classes only would never run", "include the classes that use them"));
            }
        }
        return new Report(patch, reports, refusals, warnings, oldBuild.size(), newBuild.size(), common.size(), unchanged,
            removed, List.copyOf(notCarried), debugOnly, Builds.pair(oldFiles, newFiles), oldFiles.duplicates(),
            newFiles.duplicates(), unchecked);
    }

    /**
     * Checks the references of the code the patch carries against what the JVM holds after the
     * apply; adds a refusal for each that would not resolve. Returns the classes outside both builds
     * and the JDK that could not be checked.
     */
    /**
     * {@code diff}, refused where it adds an override of a method the running JVM's supertypes
     * have (InheritedOverrides: the old build, then the JDK), as the agent would refuse it.
     */
    private static ClassDiff.Result withInheritedOverrides(String name, ClassDiff.Result diff, Map<String, byte[]> oldBuild,
                                                           ClassShape next) {
        List<Refusal> more = InheritedOverrides.refusals(name, diff, internal -> {
            byte[] bytes = oldBuild.get(internal.replace('/', '.'));
            return bytes != null ? ClassShape.of(bytes) : ClassHierarchy.shape(ClassLoader.getPlatformClassLoader(), internal);
        }, next);
        if (more.isEmpty()) {
            return diff;
        }
        List<Refusal> refusals = new ArrayList<>(diff.refusals());
        refusals.addAll(more);
        return new ClassDiff.Result(diff.className(), diff.changes(), List.copyOf(refusals), diff.warnings(),
            diff.notCarried());
    }

    private static Set<String> linkCheck(Set<String> selected, Set<String> addedSelected, Map<String, byte[]> copies,
                                         Map<String, ClassDiff.Result> changed, Map<String, byte[]> oldBuild,
                                         Map<String, byte[]> newBuild, Map<String, byte[]> aligned,
                                         Map<String, String> renames, List<Refusal> refusals) {
        Map<String, byte[]> addedClasses = new HashMap<>();
        Map<String, byte[]> users = new java.util.LinkedHashMap<>();
        for (String name : addedSelected) {
            byte[] bytes = ClassRenames.apply(newBuild.get(name), renames);
            addedClasses.put(name.replace('.', '/'), bytes);
            users.put(name.replace('.', '/'), bytes);
        }
        copies.forEach((name, bytes) -> addedClasses.put(name.replace('.', '/'), bytes));
        Map<String, String> copiesOf = new HashMap<>();
        renames.forEach((map, copy) -> copiesOf.put(copy.replace('.', '/'), map.replace('.', '/')));
        Map<String, Set<String>> addedMembers = new HashMap<>();
        Set<String> refused = new java.util.HashSet<>();
        for (String name : selected) {
            if (!changed.get(name).patchable()) {
                refused.add(name);
                continue;
            }
            users.put(name.replace('.', '/'), ClassRenames.apply(aligned.get(name), renames));
            for (Change c : changed.get(name).changes()) {
                if (c.kind() == ChangeKind.METHOD_ADDED || c.kind() == ChangeKind.FIELD_ADDED) {
                    addedMembers.computeIfAbsent(name.replace('.', '/'), k -> new java.util.HashSet<>()).add(c.member());
                }
            }
        }
        LinkCheck.Result r = LinkCheck.check(new LinkCheck.After(oldBuild, newBuild, refused, addedClasses, addedMembers, copiesOf),
            users);
        refusals.addAll(r.refusals());
        return r.unchecked();
    }

    /**
     * --closure: the changed classes left out that the selected code needs in order to link (it uses
     * a member that only their new build has), and theirs in turn, with the added classes they need.
     */
    private static void closure(Set<String> selected, Set<String> addedSelected, Set<String> added,
                                Map<String, ClassDiff.Result> changed, Map<String, byte[]> oldBuild,
                                Map<String, byte[]> newBuild, Map<String, String> includedBy) {
        Map<String, ClassShape> oldShapes = new HashMap<>();
        Map<String, ClassShape> newShapes = new HashMap<>();
        Deque<String> todo = new ArrayDeque<>(union(selected, addedSelected));
        Set<String> seen = new java.util.HashSet<>(todo);
        while (!todo.isEmpty()) {
            String user = todo.pop();
            for (LinkCheck.MemberUse use : LinkCheck.uses(newBuild.get(user))) {
                String owner = use.owner().replace('/', '.');
                if (!changed.containsKey(owner) || selected.contains(owner)) {
                    continue;
                }
                ClassShape before = oldShapes.computeIfAbsent(owner, o -> ClassShape.of(oldBuild.get(o)));
                ClassShape after = newShapes.computeIfAbsent(owner, o -> ClassShape.of(newBuild.get(o)));
                boolean inOld = use.field() ? before.hasField(use.name(), use.desc()) : before.hasMethod(use.name(), use.desc());
                boolean inNew = use.field() ? after.hasField(use.name(), use.desc()) : after.hasMethod(use.name(), use.desc());
                if (!inOld && inNew) {
                    selected.add(owner);
                    includedBy.put(owner, "--closure: " + user + " uses " + JavaSyntax.of(newBuild.get(owner))
                        .declaration(use.member()).text() + ", which the new build adds to it");
                    if (seen.add(owner)) {
                        todo.add(owner);
                    }
                }
            }
            Set<String> before = new java.util.HashSet<>(addedSelected);
            addReferencedNewClasses(selected, addedSelected, added, newBuild, includedBy);
            for (String a : addedSelected) {
                if (!before.contains(a) && seen.add(a)) {
                    todo.add(a);
                }
            }
        }
    }

    /**
     * Calls from the patch's code to methods whose body the new build changed in a class left out
     * (--only): they link, and run the old body. Not a refusal (the fix may not need them), but the
     * patched JVM does not run as the new build would, so the report says so, once per class pair.
     */
    private static List<String> oldBodiesCalled(Set<String> selected, Set<String> addedSelected,
                                                Map<String, ClassDiff.Result> changed, Map<String, byte[]> newBuild) {
        List<String> notes = new ArrayList<>();
        Set<String> said = new java.util.HashSet<>();
        for (String user : union(selected, addedSelected)) {
            if (selected.contains(user) && !changed.get(user).patchable()) {
                continue;
            }
            for (LinkCheck.MemberUse use : LinkCheck.uses(newBuild.get(user))) {
                String owner = use.owner().replace('/', '.');
                ClassDiff.Result diff = changed.get(owner);
                if (diff == null || selected.contains(owner) || use.field() || !said.add(user + " " + owner)) {
                    continue;
                }
                boolean bodyChanged = diff.changes().stream().anyMatch(c -> c.kind() == ChangeKind.METHOD_BODY
                    && c.member().equals(use.member()));
                if (!bodyChanged) {
                    said.remove(user + " " + owner);
                    continue;
                }
                notes.add(user + " calls " + owner + "." + JavaSyntax.methodName(use.member()) + ", whose body the new "
                    + "build changed; " + owner + " is left out, so the patched code runs the old body there (include "
                    + owner + " if the fix depends on it)");
            }
        }
        return notes;
    }

    /** Each changed or refused member of a class as declared in Java, with its first line in the new build. */
    private static Map<String, JavaSyntax.Declaration> declarations(byte[] oldBytes, byte[] newBytes, ClassDiff.Result diff) {
        Map<String, JavaSyntax.Declaration> members = new HashMap<>();
        JavaSyntax neu = JavaSyntax.of(newBytes);
        JavaSyntax old = JavaSyntax.of(oldBytes);
        List<String> keys = new ArrayList<>();
        diff.changes().forEach(c -> keys.add(c.member()));
        diff.refusals().forEach(r -> {
            if (r.member() != null) {
                keys.add(r.member());
            }
        });
        for (String key : keys) {
            // A removed member as the old build declared it.
            members.put(key, !neu.declares(key) && old.declares(key) ? old.declaration(key) : neu.declaration(key));
        }
        return members;
    }

    /** Added classes that selected code refers to, transitively: a fix that adds a helper class needs it. */
    private static void addReferencedNewClasses(Set<String> selected, Set<String> addedSelected, Set<String> added,
                                                Map<String, byte[]> newBuild, Map<String, String> includedBy) {
        Deque<String> todo = new ArrayDeque<>(selected);
        todo.addAll(addedSelected);
        Set<String> seen = new LinkedHashSet<>(todo);
        while (!todo.isEmpty()) {
            String user = todo.pop();
            Set<String> needs = new LinkedHashSet<>(referencedClasses(newBuild.get(user)));
            if (added.contains(user)) {
                // An added class comes with its nested, anonymous and local classes, referenced or not
                // (javac lists them, but a class file written otherwise may not).
                for (String a : added) {
                    if (a.startsWith(user + "$")) {
                        needs.add(a);
                    }
                }
            }
            for (String ref : needs) {
                if (added.contains(ref) && seen.add(ref)) {
                    if (addedSelected.add(ref)) {
                        includedBy.putIfAbsent(ref, "needed by " + user);
                    }
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
                                    Map<String, byte[]> newBuild, Map<String, Set<String>> reinitialized) {
        Map<String, PatchShape.Entry> entries = new HashMap<>();
        for (String name : selected) {
            entries.put(name.replace('.', '/'), new PatchShape.Entry(ClassShape.of(oldBuild.get(name)),
                ClassShape.of(newBuild.get(name)), reinitialized.getOrDefault(name, Set.of())));
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
            int lib = path.indexOf("]!/");
            if (path.startsWith("[") && lib > 0) {
                path = path.substring(lib + 3); // a nested library's resource: its path inside the library
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
