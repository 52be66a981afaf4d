package io.livepatch4j.patch.build;

import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.Refusal;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
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
 * References between the patch's classes that the running classes cannot resolve: a private
 * constructor called across a nest that a
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
        Map<String, ClassShape> shapes = new HashMap<>();
        Set<String> users = new LinkedHashSet<>(selected);
        users.addAll(added);
        Set<String> reported = new LinkedHashSet<>();
        // A member the patch adds to a superclass, named through a subclass (javac names the class it is
        // reached through), needs nothing here: the agent's rewrite links it to the class that adds it
        // (PatchShape.declaringAdded).
        for (String user : users) {
            ClassNode c = ClassDiff.read(newBuild.get(user));
            for (MethodNode m : c.methods) {
                addedSuperConstructor(c, m, changed, refusals);
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof MethodInsnNode mi && "<init>".equals(mi.name)) {
                        String host = c.nestHostClass != null ? c.nestHostClass : c.name;
                        if (oldBuild.containsKey(host.replace('/', '.'))) {
                            // Only a loaded nest host's list is stale; a nest the patch adds whole
                            // (a new enum with constant bodies, say) lists its members itself.
                            privateConstructor(newBuild, shapes, c.name, mi, added, refusals, reported);
                        }
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

    /**
     * A constructor whose super(...) calls a constructor the patch adds to the superclass: the JVM
     * runs that call from the loaded (or newly defined) class, and the loaded superclass has no such
     * constructor, so it would fail with NoSuchMethodError.
     */
    private static void addedSuperConstructor(ClassNode c, MethodNode m, Map<String, ClassDiff.Result> changed,
                                              List<Refusal> refusals) {
        if (!"<init>".equals(m.name)) {
            return;
        }
        int split = io.livepatch4j.patch.diff.ConstructorSplit.initializingCall(c.name, m);
        if (split < 0 || !(m.instructions.get(split) instanceof MethodInsnNode call) || call.owner.equals(c.name)) {
            return;
        }
        ClassDiff.Result superDiff = changed.get(call.owner.replace('/', '.'));
        if (superDiff != null && superDiff.changes().stream().anyMatch(ch -> ch.kind() == io.livepatch4j.patch.ChangeKind.METHOD_ADDED
            && ch.member().equals("<init>" + call.desc))) {
            refusals.add(new Refusal(c.name.replace('/', '.'), "<init>" + m.desc, "the constructor calls super(...) of "
                    + "a constructor the patch adds to " + call.owner.replace('/', '.') + ", which the loaded superclass "
                    + "does not have (that call runs before the object exists, in the class's own constructor)",
                "call a constructor the superclass already has, or ship the fix with the next release"));
        }
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
