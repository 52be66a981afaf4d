package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.Reinitialization;
import io.livepatch4j.patch.diff.Refusal;
import org.objectweb.asm.tree.ClassNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code lp4j build --reinitialize CLASS}: the class, with the change that says it is re-initialized,
 * and every class of the new build whose code reads or writes its re-initialized static fields, which
 * the patch must carry (even unchanged) so that the new generation reaches the fresh state. They are
 * included whatever {@code --only} says: without them the fix would be half applied.
 */
final class Reinitializations {

    /**
     * @param fields     per re-initialized class, its re-initialized fields
     * @param includedBy per class brought in, why
     */
    record Found(Map<String, Set<String>> fields, Map<String, String> includedBy, List<Refusal> refusals) {
    }

    private Reinitializations() {}

    /** Adds to {@code changed} the re-initialized classes and their readers; {@code maps}: javac's switch maps, never read. */
    static Found add(List<String> names, Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild,
                     Map<String, ClassDiff.Result> changed, Set<String> maps) {
        Map<String, Set<String>> fields = new LinkedHashMap<>();
        Map<String, String> includedBy = new LinkedHashMap<>();
        List<Refusal> refusals = new ArrayList<>();
        Map<String, ClassNode> nodes = new HashMap<>();
        for (String name : names) {
            if (!oldBuild.containsKey(name) || !newBuild.containsKey(name)) {
                refusals.add(new Refusal(name, null, "--reinitialize names a class that is not in both builds",
                    "give the binary name of a class the JVM runs and the new build keeps (a.b.Outer$Inner)"));
                continue;
            }
            ClassNode c = nodes.computeIfAbsent(name, n -> ClassDiff.read(newBuild.get(n)));
            String why = Reinitialization.refusal(c);
            Set<String> own = Reinitialization.fields(c);
            if (why == null && own.isEmpty()) {
                why = "it has no static fields to give fresh values (compile-time constants are inlined where they are read)";
            }
            if (why != null) {
                refusals.add(new Refusal(name, "<clinit>()V", "the class cannot be re-initialized: " + why,
                    "leave it out of --reinitialize"));
                continue;
            }
            fields.put(name, own);
            includedBy.put(name, "--reinitialize");
            merge(changed, name, new Change(ChangeKind.STATIC_INITIALIZER, "<clinit>()V", "re-initialized "
                + "(--reinitialize): the whole new static initializer runs once when the patch is applied, in the "
                + "new generation; its static fields (" + String.join(", ", own.stream().map(f -> f.substring(0,
                f.indexOf(':'))).toList()) + ") start fresh there, and code of the old generation keeps their old "
                + "values"), true);
        }
        for (Map.Entry<String, Set<String>> r : fields.entrySet()) {
            Set<String> owners = withSubclasses(r.getKey().replace('.', '/'), newBuild);
            for (String user : newBuild.keySet()) {
                if (user.equals(r.getKey()) || !oldBuild.containsKey(user) || maps.contains(user)) {
                    continue;
                }
                Map<String, String> reads = Reinitialization.readers(
                    nodes.computeIfAbsent(user, n -> ClassDiff.read(newBuild.get(n))), owners, r.getValue());
                reads.forEach((method, field) -> merge(changed, user, new Change(ChangeKind.METHOD_BODY, method,
                    "reads " + r.getKey() + "." + field.substring(0, field.indexOf(':')) + ", which the patch "
                        + "re-initializes: the new generation runs it against the fresh static state"), false));
                if (!reads.isEmpty()) {
                    includedBy.putIfAbsent(user, "reads the static state of " + r.getKey() + ", which --reinitialize "
                        + "re-initializes");
                }
            }
        }
        return new Found(fields, includedBy, refusals);
    }

    /**
     * {@code owner} and every class of the new build that extends it, directly or not (internal
     * names): static fields are named through them too ({@code Sub.FIELD}).
     */
    private static Set<String> withSubclasses(String owner, Map<String, byte[]> newBuild) {
        Map<String, String> superOf = new HashMap<>();
        for (Map.Entry<String, byte[]> e : newBuild.entrySet()) {
            String superName = new org.objectweb.asm.ClassReader(e.getValue()).getSuperName();
            superOf.put(e.getKey().replace('.', '/'), superName);
        }
        Set<String> owners = new java.util.LinkedHashSet<>();
        owners.add(owner);
        for (String c : superOf.keySet()) {
            for (String s = superOf.get(c); s != null; s = superOf.get(s)) {
                if (s.equals(owner)) {
                    owners.add(c);
                    break;
                }
            }
        }
        return owners;
    }

    /** {@code change} added to the class's diff (a new one if the class did not change); {@code replaceInit}: it
     *  stands for any static-initializer change the diff found. */
    private static void merge(Map<String, ClassDiff.Result> changed, String name, Change change, boolean replaceInit) {
        ClassDiff.Result d = changed.get(name);
        List<Change> changes = new ArrayList<>(d == null ? List.of() : d.changes());
        if (replaceInit) {
            changes.removeIf(c -> c.kind() == ChangeKind.STATIC_INITIALIZER);
        } else if (changes.stream().anyMatch(c -> c.member().equals(change.member()))) {
            return; // the method changed anyway; the patch carries it
        }
        changes.add(change);
        changed.put(name, d == null ? new ClassDiff.Result(name, changes, List.of(), List.of(), List.of())
            : new ClassDiff.Result(name, changes, d.refusals(), d.warnings(), d.notCarried()));
    }
}
