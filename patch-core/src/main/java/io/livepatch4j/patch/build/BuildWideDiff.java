package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Differences that no one class's diff sees, because they lie between classes: state that a static
 * initializer built with a method the patch changes, an added static member that hides an inherited
 * one from code the patch does not carry, and classes the new build no longer has.
 */
final class BuildWideDiff {

    private BuildWideDiff() {}

    /**
     * @param changed  the diffs of the classes the patch carries
     * @param selected the classes the patch carries
     */
    static List<NotCarried> compare(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild,
                                    Map<String, ClassDiff.Result> changed, Set<String> selected, List<String> removed) {
        List<NotCarried> found = new ArrayList<>();
        found.addAll(initializersCallingChangedMethods(oldBuild, changed, selected));
        found.addAll(hidingMembers(newBuild, changed, selected));
        for (String name : removed) {
            found.add(new NotCarried(name, null, "the class is not in the new build: it stays, and its class loader "
                    + "still finds it by name (Class.forName, ServiceLoader, deserialization)",
                "nothing, unless code looks it up by name; then restart on the new build"));
        }
        return found;
    }

    /**
     * A static initializer ran once, with the old code: a method it calls that the patch changes
     * leaves the state it built as the old code built it (one level of calls is looked at).
     */
    private static List<NotCarried> initializersCallingChangedMethods(Map<String, byte[]> oldBuild,
                                                                      Map<String, ClassDiff.Result> changed,
                                                                      Set<String> selected) {
        Set<String> changedMethods = new TreeSet<>();
        for (String name : selected) {
            for (Change c : changed.get(name).changes()) {
                if (c.kind() == ChangeKind.METHOD_BODY) {
                    changedMethods.add(name.replace('.', '/') + "#" + c.member());
                }
            }
        }
        List<NotCarried> found = new ArrayList<>();
        if (changedMethods.isEmpty()) {
            return found;
        }
        for (Map.Entry<String, byte[]> e : oldBuild.entrySet()) {
            MethodNode init = initializer(e.getValue());
            if (init == null) {
                continue;
            }
            Set<String> calls = new TreeSet<>();
            for (AbstractInsnNode insn : init.instructions) {
                if (insn instanceof MethodInsnNode mi && changedMethods.contains(mi.owner + "#" + mi.name + mi.desc)) {
                    calls.add(mi.owner.replace('/', '.') + "#" + mi.name + mi.desc);
                }
            }
            if (!calls.isEmpty()) {
                found.add(new NotCarried(e.getKey(), "<clinit>()V", "its static initializer calls " + String.join(", ", calls)
                        + ", whose body the patch changes; it ran when the class was loaded, so the static state it "
                        + "built keeps what the old code computed",
                    "recompute that state in the fix where it is read, or restart on the new build"));
            }
        }
        return found;
    }

    private static MethodNode initializer(byte[] bytes) {
        if (!new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("<clinit>")) {
            return null;
        }
        for (MethodNode m : ClassDiff.read(bytes).methods) {
            if ("<clinit>".equals(m.name)) {
                return m;
            }
        }
        return null;
    }

    /**
     * A static method or a field the patch adds to a class that hides one it inherits: code the
     * patch does not carry that names it through that class (compiled the same in both builds) still
     * reaches the inherited one, where the new build reaches the added one.
     */
    private static List<NotCarried> hidingMembers(Map<String, byte[]> newBuild, Map<String, ClassDiff.Result> changed,
                                                  Set<String> selected) {
        List<NotCarried> found = new ArrayList<>();
        Map<String, ClassShape> shapes = new HashMap<>();
        for (String name : selected) {
            for (Change c : changed.get(name).changes()) {
                if (c.kind() != ChangeKind.METHOD_ADDED && c.kind() != ChangeKind.FIELD_ADDED) {
                    continue;
                }
                boolean field = c.kind() == ChangeKind.FIELD_ADDED;
                String member = c.member();
                String memberName = field ? member.substring(0, member.indexOf(':')) : member.substring(0, member.indexOf('('));
                String desc = field ? member.substring(member.indexOf(':') + 1) : member.substring(member.indexOf('('));
                String inherited = inheritedFrom(newBuild, shapes, name, memberName, desc, field);
                if (inherited == null) {
                    continue;
                }
                List<String> users = users(newBuild, selected, name.replace('.', '/'), memberName, desc, field);
                if (!users.isEmpty()) {
                    found.add(new NotCarried(name, member, "the added " + (field ? "field" : "method") + " hides the "
                            + "inherited one of " + inherited + "; code the patch does not carry (" + String.join(", ", users)
                            + ") names it through " + name + " and still reaches " + inherited + "'s, where the new "
                            + "build reaches the added one",
                        "rename the added member, or include those classes in the fix, or restart"));
                }
            }
        }
        return found;
    }

    private static String inheritedFrom(Map<String, byte[]> build, Map<String, ClassShape> shapes, String name,
                                        String memberName, String desc, boolean field) {
        ClassShape shape = shape(build, shapes, name);
        String superName = shape == null ? null : shape.superName();
        while (superName != null) {
            String dotted = superName.replace('/', '.');
            ClassShape s = shape(build, shapes, dotted);
            if (s == null) {
                return null; // outside the build: not known
            }
            if (field ? s.fieldDescriptor(memberName) != null : s.hasMethod(memberName, desc)) {
                return dotted;
            }
            superName = s.superName();
        }
        return null;
    }

    private static ClassShape shape(Map<String, byte[]> build, Map<String, ClassShape> shapes, String name) {
        byte[] bytes = build.get(name);
        return bytes == null ? null : shapes.computeIfAbsent(name, n -> ClassShape.of(bytes));
    }

    /** Classes not in the patch whose code names {@code owner.name} (desc for methods). */
    private static List<String> users(Map<String, byte[]> build, Set<String> selected, String owner, String name,
                                      String desc, boolean field) {
        List<String> users = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : build.entrySet()) {
            if (selected.contains(e.getKey()) || !new String(e.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(name)) {
                continue;
            }
            ClassNode c = ClassDiff.read(e.getValue());
            search:
            for (MethodNode m : c.methods) {
                for (AbstractInsnNode insn : m.instructions) {
                    boolean hit = field ? insn instanceof FieldInsnNode fi && fi.owner.equals(owner) && fi.name.equals(name)
                        : insn instanceof MethodInsnNode mi && mi.owner.equals(owner) && mi.name.equals(name)
                            && mi.desc.equals(desc) && mi.getOpcode() == Opcodes.INVOKESTATIC;
                    if (hit) {
                        users.add(e.getKey());
                        break search;
                    }
                }
            }
        }
        return users;
    }
}
