package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.Refusal;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * References between the patch's classes that the running classes cannot resolve: a member the
 * patch adds to a class, reached through a subclass (javac names the class it was reached through,
 * and the running subclass has no such member); a private constructor called across a nest that a
 * class the patch adds is part of (the loaded nest host does not list the new class); and classes
 * the patch adds as members of a loaded class, which the loaded class does not list.
 */
final class CrossClassRefs {

    private CrossClassRefs() {}

    record Found(List<Refusal> refusals, List<NotCarried> notCarried) {
    }

    static Found check(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild, Map<String, ClassDiff.Result> changed,
                       Set<String> selected, Set<String> added) {
        List<Refusal> refusals = new ArrayList<>();
        List<NotCarried> notCarried = new ArrayList<>();
        Map<String, Set<String>> addedMembers = new HashMap<>(); // internal class name -> added members
        for (String name : selected) {
            for (Change c : changed.get(name).changes()) {
                if (c.kind() == ChangeKind.METHOD_ADDED || c.kind() == ChangeKind.FIELD_ADDED) {
                    addedMembers.computeIfAbsent(name.replace('.', '/'), k -> new LinkedHashSet<>()).add(c.member());
                }
            }
        }
        Map<String, ClassShape> shapes = new HashMap<>();
        Set<String> users = new LinkedHashSet<>(selected);
        users.addAll(added);
        Set<String> reported = new LinkedHashSet<>();
        for (String user : users) {
            ClassNode c = ClassDiff.read(newBuild.get(user));
            for (MethodNode m : c.methods) {
                for (AbstractInsnNode insn : m.instructions) {
                    String owner;
                    String member;
                    if (insn instanceof MethodInsnNode mi) {
                        owner = mi.owner;
                        member = mi.name + mi.desc;
                        if ("<init>".equals(mi.name)) {
                            String host = c.nestHostClass != null ? c.nestHostClass : c.name;
                            if (oldBuild.containsKey(host.replace('/', '.'))) {
                                // Only a loaded nest host's list is stale; a nest the patch adds whole
                                // (a new enum with constant bodies, say) lists its members itself.
                                privateConstructor(newBuild, shapes, c.name, mi, added, refusals, reported);
                            }
                            continue;
                        }
                    } else if (insn instanceof FieldInsnNode fi) {
                        owner = fi.owner;
                        member = fi.name + ":" + fi.desc;
                    } else {
                        continue;
                    }
                    if (addedMembers.containsKey(owner) || owner.startsWith("[")) {
                        continue; // reached through the class that adds it: the rewrite links it
                    }
                    String declaring = addedInSupertype(newBuild, shapes, owner, member, addedMembers);
                    if (declaring != null && reported.add(user + " " + owner + " " + member)) {
                        refusals.add(new Refusal(user, null, "it uses " + member + ", which the patch adds to "
                                + declaring.replace('/', '.') + ", through " + owner.replace('/', '.') + " (javac names the "
                                + "class a member is reached through, and the running " + owner.replace('/', '.')
                                + " has no such member)",
                            "name the class that declares it in the fix (" + declaring.substring(declaring.lastIndexOf('/') + 1)
                                + "." + member.replaceAll("[(:].*", "") + "), or ship the fix with the next release"));
                    }
                }
            }
        }
        for (String name : added) {
            ClassNode c = ClassDiff.read(newBuild.get(name));
            boolean member = c.innerClasses.stream().anyMatch(ic -> ic.name.equals(c.name) && ic.outerName != null);
            if (!member && (c.access & Opcodes.ACC_SYNTHETIC) == 0 && c.nestHostClass != null
                && oldBuild.containsKey(c.nestHostClass.replace('/', '.'))) {
                notCarried.add(new NotCarried(name, null, "the class is added to the nest of "
                        + c.nestHostClass.replace('/', '.') + ", which the loaded class does not list: getNestHost() "
                        + "returns the class itself and isNestmateOf() is false (the patch reaches private members "
                        + "between them through the agent)",
                    "nothing, unless code asks for nest membership; then restart"));
            }
            for (InnerClassNode ic : c.innerClasses) {
                if (ic.name.equals(c.name) && ic.outerName != null && oldBuild.containsKey(ic.outerName.replace('/', '.'))) {
                    if ((c.access & Opcodes.ACC_RECORD) != 0) {
                        refusals.add(new Refusal(name, null, "a record nested in " + ic.outerName.replace('/', '.')
                                + " was added; the loaded outer class does not list it, so reflection on it throws "
                                + "IncompatibleClassChangeError, and a record's toString() uses that reflection",
                            "make the record a top-level class in the fix"));
                    } else {
                        notCarried.add(new NotCarried(name, null, "the class is added as a member of "
                                + ic.outerName.replace('/', '.') + ", which the loaded outer class does not list: "
                                + "getSimpleName(), getDeclaringClass(), getEnclosingClass() and isMemberClass() on it "
                                + "throw IncompatibleClassChangeError",
                            "make it a top-level class in the fix if anything reflects on it, or restart"));
                    }
                }
            }
        }
        return new Found(refusals, notCarried);
    }

    /** The supertype of {@code owner} (in the build) that the patch adds {@code member} to, or null. */
    private static String addedInSupertype(Map<String, byte[]> build, Map<String, ClassShape> shapes, String owner,
                                           String member, Map<String, Set<String>> addedMembers) {
        String current = owner;
        Set<String> seen = new LinkedHashSet<>();
        while (current != null && seen.add(current)) {
            ClassShape s = shape(build, shapes, current);
            if (s == null) {
                return null;
            }
            boolean declares = member.contains(":") ? s.hasField(member.substring(0, member.indexOf(':')),
                member.substring(member.indexOf(':') + 1)) : s.hasMethod(member.substring(0, member.indexOf('(')),
                member.substring(member.indexOf('(')));
            if (declares) {
                return addedMembers.getOrDefault(current, Set.of()).contains(member) && !current.equals(owner) ? current : null;
            }
            current = s.superName();
        }
        return null;
    }

    private static void privateConstructor(Map<String, byte[]> build, Map<String, ClassShape> shapes, String caller,
                                           MethodInsnNode call, Set<String> added, List<Refusal> refusals,
                                           Set<String> reported) {
        if (call.owner.equals(caller) || call.owner.startsWith("[")) {
            return;
        }
        ClassShape target = shape(build, shapes, call.owner);
        Integer access = target == null ? null : target.methodAccess("<init>", call.desc);
        boolean newOnEitherSide = added.contains(caller.replace('/', '.')) || added.contains(call.owner.replace('/', '.'));
        if (access != null && (access & Opcodes.ACC_PRIVATE) != 0 && newOnEitherSide
            && reported.add(caller + " -> " + call.owner + call.desc)) {
            refusals.add(new Refusal(caller.replace('/', '.'), null, "it calls the private constructor "
                    + call.owner.replace('/', '.') + call.desc + ", across a nest that a class the patch adds is part "
                    + "of; the loaded nest host does not list the new class, so the JVM refuses the call",
                (target.access() & Opcodes.ACC_ENUM) != 0
                    ? "give the enum's constants no bodies in the fix (a field holding a lambda does the same), or "
                        + "make it a top-level enum, or ship the fix with the next release"
                    : "make that constructor package-private in the fix"));
        }
    }

    private static ClassShape shape(Map<String, byte[]> build, Map<String, ClassShape> shapes, String internalName) {
        byte[] bytes = build.get(internalName.replace('/', '.'));
        return bytes == null ? null : shapes.computeIfAbsent(internalName, n -> ClassShape.of(bytes));
    }
}
