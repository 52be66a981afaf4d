package io.livepatch4j.patch.build;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.ClassShape;
import io.livepatch4j.patch.diff.SerialUids;
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
        found.addAll(inheritedSerializable(oldBuild, newBuild, selected));
        for (String name : removed) {
            found.add(new NotCarried(name, null, "the new build has no class of this name (removed, or an anonymous "
                    + "or local class whose code the patch gives another name): it stays, and its class loader still "
                    + "finds it by name (Class.forName, ServiceLoader, deserialization)",
                "nothing, unless code looks it up by name; then restart on the new build"));
        }
        return found;
    }

    /**
     * A static initializer ran once, with the old code: a method the patch changes that it called,
     * directly, through other methods of the build or through a lambda, left the state it built as the
     * old code built it. Calls are followed through the old build, a few levels deep.
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
        Map<String, ClassNode> nodes = new HashMap<>();
        for (Map.Entry<String, byte[]> e : oldBuild.entrySet()) {
            MethodNode init = initializer(e.getValue());
            Set<String> reached = init == null ? Set.of() : reachedChanged(init, oldBuild, nodes, changedMethods);
            if (!reached.isEmpty()) {
                found.add(new NotCarried(e.getKey(), "<clinit>()V", "its static initializer calls " + String.join(", ", reached)
                        + " (directly, through other methods or a lambda), whose body the patch changes; it ran when the "
                        + "class was loaded, so the static state it built keeps what the old code computed",
                    "recompute that state in the fix where it is read, or restart on the new build"));
            }
            if (!new String(e.getValue(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("<init>")) {
                continue;
            }
            Set<String> byConstructors = new TreeSet<>();
            for (MethodNode m : nodes.computeIfAbsent(e.getKey(), k -> ClassDiff.read(e.getValue())).methods) {
                if ("<init>".equals(m.name)) {
                    // A changed constructor it chains to is reported with that constructor's class.
                    reachedChanged(m, oldBuild, nodes, changedMethods).stream().filter(c -> !c.contains("#<init>"))
                        .forEach(byConstructors::add);
                }
            }
            if (!byConstructors.isEmpty()) {
                found.add(new NotCarried(e.getKey(), "<init>", "its constructors call " + String.join(", ", byConstructors)
                        + " (directly, through other methods or a lambda), whose body the patch changes; objects made "
                        + "before the patch keep what the old code computed for them (a field initialized with it, say)",
                    "if existing objects must change, migrate them in the fix where the state is read, or restart"));
            }
        }
        return found;
    }

    /** The changed methods that {@code start} reaches through calls and lambdas in the build. */
    private static Set<String> reachedChanged(MethodNode start, Map<String, byte[]> oldBuild, Map<String, ClassNode> nodes,
                                              Set<String> changedMethods) {
        Set<String> reached = new TreeSet<>();
        Set<String> seen = new java.util.HashSet<>();
        java.util.Deque<Object[]> todo = new java.util.ArrayDeque<>();
        todo.add(new Object[] {start, 0});
        while (!todo.isEmpty()) {
            Object[] next = todo.pop();
            MethodNode m = (MethodNode) next[0];
            int depth = (int) next[1];
            for (String callee : callees(m)) {
                if (changedMethods.contains(callee)) {
                    reached.add(callee.replace('/', '.'));
                } else if (depth < MAX_CALL_DEPTH && seen.add(callee)) {
                    MethodNode body = method(oldBuild, nodes, callee);
                    if (body != null) {
                        todo.add(new Object[] {body, depth + 1});
                    }
                }
            }
        }
        return reached;
    }

    private static final int MAX_CALL_DEPTH = 6;

    /** {@code owner#name+desc} of every method {@code m} calls or makes a lambda or method reference of. */
    private static List<String> callees(MethodNode m) {
        List<String> out = new ArrayList<>();
        for (AbstractInsnNode insn : m.instructions) {
            if (insn instanceof MethodInsnNode mi) {
                out.add(mi.owner + "#" + mi.name + mi.desc);
            } else if (insn instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode indy) {
                for (Object arg : indy.bsmArgs) {
                    if (arg instanceof org.objectweb.asm.Handle h) {
                        out.add(h.getOwner() + "#" + h.getName() + h.getDesc());
                    }
                }
            }
        }
        return out;
    }

    private static MethodNode method(Map<String, byte[]> build, Map<String, ClassNode> nodes, String ref) {
        String owner = ref.substring(0, ref.indexOf('#')).replace('/', '.');
        byte[] bytes = build.get(owner);
        if (bytes == null) {
            return null;
        }
        ClassNode c = nodes.computeIfAbsent(owner, o -> ClassDiff.read(bytes));
        String key = ref.substring(ref.indexOf('#') + 1);
        for (MethodNode m : c.methods) {
            if ((m.name + m.desc).equals(key)) {
                return m;
            }
        }
        return null;
    }

    /**
     * A class serializable through a supertype in the build (its own class file does not say so, so
     * the class's own diff cannot tell) that declares no serialVersionUID: where the UID serialization
     * computes changes, the loaded class keeps the old one.
     */
    private static List<NotCarried> inheritedSerializable(Map<String, byte[]> oldBuild, Map<String, byte[]> newBuild,
                                                          Set<String> selected) {
        List<NotCarried> found = new ArrayList<>();
        for (String name : selected) {
            ClassNode before = ClassDiff.read(oldBuild.get(name));
            ClassNode after = ClassDiff.read(newBuild.get(name));
            if (SerialUids.serializable(before) || declaresUid(before) || declaresUid(after)
                || (before.access & (org.objectweb.asm.Opcodes.ACC_ENUM | org.objectweb.asm.Opcodes.ACC_RECORD)) != 0
                || !serializableThroughSupertypes(oldBuild, before)) {
                continue;
            }
            long was = SerialUids.defaultUid(before);
            long now = SerialUids.defaultUid(after);
            if (was != now) {
                found.add(new NotCarried(name, null, "the class is serializable (through a supertype) without a "
                        + "serialVersionUID, and the one serialization computes from its members changes (" + was + " to "
                        + now + "); serialization keeps the old one, so streams of the new build are refused here "
                        + "(InvalidClassException), and the other way round",
                    "declare serialVersionUID = " + was + "L in the fix, or restart on the new build"));
            }
        }
        return found;
    }

    private static boolean declaresUid(ClassNode c) {
        return c.fields.stream().anyMatch(f -> "serialVersionUID".equals(f.name) && "J".equals(f.desc));
    }

    /** Whether a superclass or interface of {@code c} found in the build implements Serializable or Externalizable. */
    private static boolean serializableThroughSupertypes(Map<String, byte[]> build, ClassNode c) {
        java.util.Deque<String> todo = new java.util.ArrayDeque<>(c.interfaces);
        if (c.superName != null) {
            todo.add(c.superName);
        }
        Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            String t = todo.pop();
            if ("java/io/Serializable".equals(t) || "java/io/Externalizable".equals(t)) {
                return true;
            }
            byte[] bytes = seen.add(t) ? build.get(t.replace('/', '.')) : null;
            if (bytes != null) {
                ClassShape s = ClassShape.of(bytes);
                todo.addAll(s.interfaces());
                if (s.superName() != null) {
                    todo.add(s.superName());
                }
            }
        }
        return false;
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

    /** The supertype in the build (superclasses and, for fields, interfaces) that declares the member, or null. */
    private static String inheritedFrom(Map<String, byte[]> build, Map<String, ClassShape> shapes, String name,
                                        String memberName, String desc, boolean field) {
        ClassShape shape = shape(build, shapes, name);
        java.util.Deque<String> todo = new java.util.ArrayDeque<>();
        if (shape != null) {
            if (shape.superName() != null) {
                todo.add(shape.superName());
            }
            if (field) {
                todo.addAll(shape.interfaces()); // an interface's constants are inherited fields too
            }
        }
        Set<String> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            String dotted = todo.pop().replace('/', '.');
            ClassShape s = seen.add(dotted) ? shape(build, shapes, dotted) : null;
            if (s == null) {
                continue; // outside the build (not known), or seen
            }
            if (field ? s.fieldDescriptor(memberName) != null : s.hasMethod(memberName, desc)) {
                return dotted;
            }
            if (s.superName() != null) {
                todo.add(s.superName());
            }
            if (field) {
                todo.addAll(s.interfaces());
            }
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
