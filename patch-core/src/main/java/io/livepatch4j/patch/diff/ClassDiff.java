package io.livepatch4j.patch.diff;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.NotCarried;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two versions of one class and decides, member by member, what a running JVM can take:
 * new method bodies (constructors where the code before {@code super(...)} is unchanged), new
 * private or static methods, new fields (kept as shadow fields). Everything else is a {@link Refusal}
 * that names the class, the member, the reason and what to do instead. The rules are the ones in
 * docs/patch-format.md; the agent runs them again before it applies anything.
 */
public final class ClassDiff {

    private static final int VISIBILITY = Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE;
    private static final int METHOD_MODIFIERS = VISIBILITY | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL
        | Opcodes.ACC_SYNCHRONIZED | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE;
    private static final int FIELD_MODIFIERS = VISIBILITY | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL
        | Opcodes.ACC_VOLATILE | Opcodes.ACC_TRANSIENT;
    private static final int CLASS_MODIFIERS = Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_INTERFACE
        | Opcodes.ACC_ABSTRACT | Opcodes.ACC_ANNOTATION | Opcodes.ACC_ENUM | Opcodes.ACC_RECORD;

    /** What differs between the two versions: the patchable changes, the refusals, and warnings. */
    public record Result(String className, List<Change> changes, List<Refusal> refusals, List<String> warnings,
                         List<NotCarried> notCarried) {

        public boolean patchable() {
            return refusals.isEmpty();
        }

        /**
         * The code and the members are the same (what a patch would carry); attributes may differ. A
         * class the JVM reconstitutes for retransformation matches its class file this way, not byte
         * for byte, nor in every attribute.
         */
        public boolean sameCode() {
            return changes.isEmpty() && refusals.isEmpty();
        }

        /** Nothing differs, carried or not. */
        public boolean unchanged() {
            return changes.isEmpty() && refusals.isEmpty() && notCarried.isEmpty();
        }

        /** Something differs, but nothing the patch would run: only what it does not carry. */
        public boolean onlyNotCarried() {
            return changes.isEmpty() && refusals.isEmpty() && !notCarried.isEmpty();
        }
    }

    private static final java.util.Set<String> OBJECT_METHODS = java.util.Set.of("toString()Ljava/lang/String;",
        "equals(Ljava/lang/Object;)Z", "hashCode()I", "clone()Ljava/lang/Object;", "finalize()V");

    private final String className;
    private final ClassNode oldClass;
    private final ClassNode newClass;
    private final List<Change> changes = new ArrayList<>();
    private final List<Refusal> refusals = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<NotCarried> notCarried = new ArrayList<>();

    private ClassDiff(ClassNode oldClass, ClassNode newClass) {
        this.oldClass = oldClass;
        this.newClass = newClass;
        this.className = oldClass.name.replace('/', '.');
    }

    public static Result compare(byte[] oldBytes, byte[] newBytes) {
        ClassDiff diff = new ClassDiff(read(oldBytes), read(newBytes));
        diff.run();
        return new Result(diff.className, List.copyOf(diff.changes), List.copyOf(diff.refusals),
            List.copyOf(diff.warnings), List.copyOf(diff.notCarried));
    }

    public static ClassNode read(byte[] bytes) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.EXPAND_FRAMES);
        return node;
    }

    private void run() {
        if (!oldClass.name.equals(newClass.name)) {
            refuse(null, "the new class file is " + newClass.name.replace('/', '.') + ", not " + className,
                "compare two builds of the same class");
            return;
        }
        compareClass();
        compareFields();
        compareMethods();
        notCarried.addAll(NotCarriedDiff.compare(className, oldClass, newClass, addedVisibleToReflection()));
        boolean cloneable = newClass.interfaces.contains("java/lang/Cloneable")
            || newClass.methods.stream().anyMatch(m -> "clone".equals(m.name) && m.desc.startsWith("()"));
        if (cloneable) {
            List<String> shadow = new ArrayList<>();
            for (FieldNode f : newClass.fields) {
                String member = f.name + ":" + f.desc;
                if ((f.access & Opcodes.ACC_STATIC) == 0 && changes.stream()
                    .anyMatch(c -> c.kind() == ChangeKind.FIELD_ADDED && c.member().equals(member))) {
                    shadow.add(member);
                }
            }
            if (!shadow.isEmpty()) {
                notCarried.add(new NotCarried(className, null, "the class is cloneable, and the fields the patch adds ("
                        + String.join(", ", shadow) + ") live beside its objects, not in them: Object.clone() copies the "
                        + "loaded fields only, so a clone starts with the added fields at their defaults",
                    "copy the added fields in the fix's clone() (or where clones are made), or restart"));
            }
        }
    }

    private void compareClass() {
        if (!Objects.equals(oldClass.superName, newClass.superName)) {
            refuse(null, "its superclass changed from " + dotted(oldClass.superName) + " to "
                    + dotted(newClass.superName) + " (a loaded class's hierarchy cannot change)",
                "keep the old superclass and move the new behaviour into methods or a new class");
        }
        if (!new java.util.HashSet<>(oldClass.interfaces).equals(new java.util.HashSet<>(newClass.interfaces))) {
            refuse(null, "the interfaces it implements changed from " + dottedList(oldClass.interfaces) + " to "
                    + dottedList(newClass.interfaces) + " (a loaded class's hierarchy cannot change)",
                "keep the old interfaces; implement the new one in a new class that wraps this one");
        }
        if (!permitted(oldClass).equals(permitted(newClass))) {
            refuse(null, "the classes its sealed 'permits' clause names changed from " + permitted(oldClass) + " to "
                    + permitted(newClass) + " (the JVM checks every subclass against the loaded class's list, and a "
                    + "redefinition may not change it)",
                "keep the permits clause as it was; ship the new subclass with the next release");
        }
        if ((oldClass.access & CLASS_MODIFIERS) != (newClass.access & CLASS_MODIFIERS)) {
            refuse(null, "its class modifiers changed from '" + Modifiers.ofClass(oldClass.access) + "' to '"
                    + Modifiers.ofClass(newClass.access) + "'",
                "keep the class's modifiers as they were");
        }
    }

    private void compareFields() {
        Map<String, FieldNode> oldByName = new HashMap<>();
        oldClass.fields.forEach(f -> oldByName.put(f.name, f));
        Map<String, FieldNode> newByName = new HashMap<>();
        newClass.fields.forEach(f -> newByName.put(f.name, f));

        for (FieldNode of : oldClass.fields) {
            FieldNode nf = newByName.get(of.name);
            String member = of.name + ":" + of.desc;
            if (nf == null) {
                boolean constant = (of.access & Opcodes.ACC_STATIC) != 0 && (of.access & Opcodes.ACC_FINAL) != 0
                    && of.value != null;
                if ((of.access & Opcodes.ACC_PRIVATE) != 0) {
                    changes.add(new Change(ChangeKind.FIELD_REMOVED, member, "stays in every object, unused"));
                } else if (AssertionSwitch.FIELD.equals(of.name) && (of.access & Opcodes.ACC_SYNTHETIC) != 0) {
                    changes.add(new Change(ChangeKind.FIELD_REMOVED, member, "javac's assertion switch: the class's "
                        + "last assert was removed; stays, unused"));
                } else if (constant) {
                    // javac copies a constant's value into the code that uses it: only reflection reaches it.
                    changes.add(new Change(ChangeKind.FIELD_REMOVED, member, "a compile-time constant: stays, unused"));
                    notCarried.add(new NotCarried(className, member, "the compile-time constant was removed; code "
                        + "compiled against it holds its value, but reflection still finds the field",
                        "nothing, unless the field is looked up by reflection; then restart"));
                } else {
                    refuse(member, "the " + Modifiers.ofField(of.access) + " field was removed; code outside "
                            + "the patch may still use it", "keep the field (it may go unused)");
                }
            } else if (!of.desc.equals(nf.desc)) {
                refuse(member, "the field's type changed from " + Type.getType(of.desc).getClassName() + " to "
                        + Type.getType(nf.desc).getClassName() + " (the field layout of loaded objects cannot change)",
                    "keep the old field and add a new one with the new type; the patch keeps added fields as "
                        + "shadow fields");
            } else if ((of.access & FIELD_MODIFIERS) != (nf.access & FIELD_MODIFIERS)) {
                refuse(member, "the field's modifiers changed from '" + Modifiers.ofField(of.access) + "' to '"
                        + Modifiers.ofField(nf.access) + "' (the field layout of loaded objects cannot change)",
                    "keep the modifiers; add a new field if it must behave differently");
            }
        }
        for (FieldNode nf : newClass.fields) {
            if (oldByName.containsKey(nf.name)) {
                continue;
            }
            String member = nf.name + ":" + nf.desc;
            if ((newClass.access & Opcodes.ACC_INTERFACE) != 0 && nf.value == null) {
                refuse(member, "a field whose value is computed when the interface is initialized was added to an "
                    + "interface (a loaded interface is never initialized again)", "put the field in a new class");
            } else if ((nf.access & Opcodes.ACC_ENUM) != 0) {
                refuse(member, "an enum constant was added (the enum's values are fixed once it is initialized)",
                    "keep the enum as it was; represent the new case elsewhere");
            } else if (AssertionSwitch.FIELD.equals(nf.name) && "Z".equals(nf.desc)
                && (nf.access & Opcodes.ACC_SYNTHETIC) != 0) {
                changes.add(new Change(ChangeKind.FIELD_ADDED, member, "javac's assertion switch (an assert was added): "
                    + "read as the class's desired assertion status, as its initializer would have set it"));
            } else if ((nf.access & (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL)) == (Opcodes.ACC_STATIC | Opcodes.ACC_FINAL)
                && nf.value != null) {
                changes.add(new Change(ChangeKind.FIELD_ADDED, member, "compile-time constant, inlined by javac"));
            } else if ((nf.access & Opcodes.ACC_STATIC) != 0) {
                changes.add(new Change(ChangeKind.FIELD_ADDED, member,
                    "shadow field; it starts as " + defaultValue(nf.desc) + " (a loaded class is never initialized again)"));
            } else if ((nf.access & (Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC)) == (Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC)) {
                refuse(member, "javac added a synthetic final field (an inner or anonymous class now captures its "
                        + "outer instance or a variable it did not before): objects that exist would hold null",
                    "keep the class's captures as they were (do not use the outer instance where the old code did not), "
                        + "or ship the fix with the next release");
            } else if ((nf.access & Opcodes.ACC_FINAL) != 0) {
                refuse(member, "a final instance field was added: the new constructors always set it, but objects that "
                        + "exist when the patch is applied never ran them and would hold " + defaultValue(nf.desc),
                    "make the field non-final and set it lazily where it is read (a patch keeps added fields as shadow "
                        + "fields, which start as " + defaultValue(nf.desc) + " on existing objects)");
            } else {
                changes.add(new Change(ChangeKind.FIELD_ADDED, member,
                    "shadow field; objects that exist when the patch is applied start with " + defaultValue(nf.desc)));
                if (constructorsWrite(nf)) {
                    warnings.add("added field " + member + " is set by a constructor, but objects that exist when the "
                        + "patch is applied never ran it and hold " + defaultValue(nf.desc) + "; the new code must expect that");
                }
            }
        }
    }

    /**
     * The added members whose absence from reflection can change what a program does: fields (which
     * frameworks bind, serialize and inject by reflection), and methods that are not private or carry
     * runtime annotations (which frameworks find). Synthetic members (lambda bodies, accessors,
     * javac's assertion switch) and plain private methods (nothing looks them up but the
     * serialization hooks, reported on their own) are not listed.
     */
    private List<String> addedVisibleToReflection() {
        List<String> added = new ArrayList<>();
        for (FieldNode f : newClass.fields) {
            String member = f.name + ":" + f.desc;
            boolean isAdded = changes.stream().anyMatch(c -> c.kind() == ChangeKind.FIELD_ADDED && c.member().equals(member));
            if (isAdded && (f.access & Opcodes.ACC_SYNTHETIC) == 0) {
                added.add(member);
            }
        }
        for (MethodNode m : newClass.methods) {
            String member = m.name + m.desc;
            boolean isAdded = changes.stream().anyMatch(c -> c.kind() == ChangeKind.METHOD_ADDED && c.member().equals(member));
            boolean found = (m.access & Opcodes.ACC_PRIVATE) == 0
                || (m.visibleAnnotations != null && !m.visibleAnnotations.isEmpty());
            if (isAdded && (m.access & Opcodes.ACC_SYNTHETIC) == 0 && found) {
                added.add(member);
            }
        }
        return added;
    }

    /** Whether a constructor of the new version writes this (added) field. */
    private boolean constructorsWrite(FieldNode f) {
        for (MethodNode m : newClass.methods) {
            if (!"<init>".equals(m.name)) {
                continue;
            }
            for (org.objectweb.asm.tree.AbstractInsnNode insn : m.instructions) {
                if (insn instanceof org.objectweb.asm.tree.FieldInsnNode fi && fi.getOpcode() == Opcodes.PUTFIELD
                    && fi.owner.equals(newClass.name) && fi.name.equals(f.name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void compareMethods() {
        Map<String, MethodNode> newByKey = new HashMap<>();
        newClass.methods.forEach(m -> newByKey.put(m.name + m.desc, m));
        Map<String, MethodNode> oldByKey = new HashMap<>();
        oldClass.methods.forEach(m -> oldByKey.put(m.name + m.desc, m));

        for (MethodNode om : oldClass.methods) {
            String key = om.name + om.desc;
            MethodNode nm = newByKey.get(key);
            if (nm == null) {
                if ((om.access & Opcodes.ACC_PRIVATE) != 0) {
                    changes.add(new Change(ChangeKind.METHOD_REMOVED, key, "stays loaded, unused by new code"));
                } else if ("<clinit>".equals(om.name) && AssertionSwitch.onlyAddsSwitch(oldClass.name, null, om)) {
                    continue; // the class's last assert was removed, and with it javac's assertion switch
                } else if ("<clinit>".equals(om.name)) {
                    refuse(key, "the static initializer was removed (a loaded class is never initialized again)",
                        "keep the static initializer as it was");
                } else {
                    refuse(key, "the " + Modifiers.ofMethod(om.access) + " method was removed; code outside the "
                            + "patch may still call it", "keep the method (it may delegate to the new code)");
                }
                continue;
            }
            if ((om.access & METHOD_MODIFIERS) != (nm.access & METHOD_MODIFIERS)) {
                refuse(key, "the method's modifiers changed from '" + Modifiers.ofMethod(om.access) + "' to '"
                        + Modifiers.ofMethod(nm.access) + "'",
                    "keep the modifiers; add a new private or static method if it must differ");
                continue;
            }
            if (om.instructions.size() == 0 || MethodBodies.sameCode(om, nm)) {
                continue;
            }
            if ("<clinit>".equals(om.name) && (AssertionSwitch.onlyAddsSwitch(oldClass.name, om, nm)
                || AssertionSwitch.onlyAddsSwitch(oldClass.name, nm, om))) {
                continue; // an assert was added, or the last one removed: see AssertionSwitch
            }
            if ("<clinit>".equals(om.name)) {
                refuse(key, "the static initializer changed (a loaded class is never initialized again)",
                    "initialize new state lazily in a method, or in a new holder class (new classes are allowed)");
            } else if ("<init>".equals(om.name)) {
                compareConstructor(key, om, nm);
            } else {
                changes.add(new Change(ChangeKind.METHOD_BODY, key));
            }
        }
        for (MethodNode nm : newClass.methods) {
            String key = nm.name + nm.desc;
            if (oldByKey.containsKey(key)) {
                continue;
            }
            boolean isStatic = (nm.access & Opcodes.ACC_STATIC) != 0;
            boolean isPrivate = (nm.access & Opcodes.ACC_PRIVATE) != 0;
            if ("<clinit>".equals(nm.name) && AssertionSwitch.onlyAddsSwitch(oldClass.name, null, nm)) {
                continue; // an assert was added: see AssertionSwitch
            }
            if ("<clinit>".equals(nm.name)) {
                refuse(key, "a static initializer was added (a loaded class is never initialized again)",
                    "initialize new static state lazily, or in a new holder class (new classes are allowed)");
            } else if ("<init>".equals(nm.name)) {
                refuse(key, "a constructor was added (constructors cannot be added to a loaded class)",
                    "add a private static factory method that uses an existing constructor");
            } else if ((nm.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                refuse(key, "an abstract or native method was added", "add a concrete private or static method");
            } else if ((nm.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                refuse(key, "a synchronized method was added",
                    "add it without 'synchronized' and use a synchronized block inside");
            } else if (isPrivate || isStatic) {
                changes.add(new Change(ChangeKind.METHOD_ADDED, key,
                    (nm.access & Opcodes.ACC_SYNTHETIC) != 0 ? "synthetic (lambda body or accessor)" : null));
            } else if (OBJECT_METHODS.contains(key)) {
                refuse(key, "an override of " + nm.name + "() inherited from a superclass was added (a loaded class "
                        + "cannot get new overridable methods, and callers would keep reaching the inherited one)",
                    "ship it with the next release, or change the code that calls " + nm.name + "() to call a new "
                        + "static method instead");
            } else {
                refuse(key, "a " + Modifiers.ofMethod(nm.access) + " instance method was added (a loaded class "
                        + "cannot get new overridable methods)",
                    "make it private, or static, or put it in a new class");
            }
        }
    }

    private void compareConstructor(String key, MethodNode om, MethodNode nm) {
        String owner = oldClass.name;
        if (ConstructorSplit.initializingCall(owner, nm) < 0) {
            refuse(key, "the constructor has no super(...) or this(...) call that can be found", "rebuild with javac");
            return;
        }
        if (!ConstructorSplit.prefixFingerprint(owner, om).equals(ConstructorSplit.prefixFingerprint(owner, nm))) {
            refuse(key, "the constructor's super(...)/this(...) call or the code computing its arguments changed "
                    + "(that code runs before the object exists and cannot be redirected)",
                "keep the super(...)/this(...) call as it was and change only the code after it");
            return;
        }
        if (ConstructorSplit.readsPrefixLocals(owner, nm)) {
            refuse(key, "the constructor's body reads a local variable set before super(...)/this(...)",
                "compute the value again after the super(...)/this(...) call");
            return;
        }
        String recordField = RecordConstructors.writtenField(oldClass, nm);
        if (recordField != null) {
            // See RecordConstructors: such a constructor keeps no prologue, so the change could not run.
            refuse(key, "the changed constructor of record " + className + " writes its field " + recordField
                    + ", and the JVM lets nothing but the record's own constructor write a record's fields",
                "leave the record's constructor as it was and normalize the value where it is read, or make "
                    + "the change in a static factory method");
            return;
        }
        changes.add(new Change(ChangeKind.METHOD_BODY, key, "constructor: the code after super(...)/this(...)"));
    }

    private static java.util.Set<String> permitted(ClassNode node) {
        return node.permittedSubclasses == null ? java.util.Set.of()
            : new java.util.TreeSet<>(node.permittedSubclasses.stream().map(ClassDiff::dotted).toList());
    }

    private void refuse(String member, String reason, String advice) {
        refusals.add(new Refusal(className, member, reason, advice));
    }

    private static String defaultValue(String desc) {
        return switch (desc.charAt(0)) {
            case 'Z' -> "false";
            case 'L', '[' -> "null";
            default -> "0";
        };
    }

    private static String dotted(String internal) {
        return internal == null ? "none" : internal.replace('/', '.');
    }

    private static String dottedList(List<String> names) {
        List<String> d = new ArrayList<>();
        names.forEach(n -> d.add(dotted(n)));
        return d.toString();
    }
}
