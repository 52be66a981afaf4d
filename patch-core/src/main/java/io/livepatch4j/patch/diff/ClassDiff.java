package io.livepatch4j.patch.diff;

import io.livepatch4j.patch.Change;
import io.livepatch4j.patch.ChangeKind;
import io.livepatch4j.patch.NotCarried;
import io.livepatch4j.patch.rewrite.FieldInitializers;
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
    private static final int CLASS_KIND = Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT | Opcodes.ACC_ANNOTATION
        | Opcodes.ACC_ENUM | Opcodes.ACC_RECORD;
    private static final int CLASS_MODIFIERS = Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | CLASS_KIND;
    /** The {@code member} of a change to the class itself (its modifiers, its static initializer). */
    public static final String CLASS_MEMBER = "<class>";

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
    /** Whether {@link NotCarriedDiff} runs (compareCarried skips it). */
    private boolean withNotCarried = true;

    private ClassDiff(ClassNode oldClass, ClassNode newClass) {
        this.oldClass = oldClass;
        this.newClass = newClass;
        this.className = oldClass.name.replace('/', '.');
    }

    public static Result compare(byte[] oldBytes, byte[] newBytes) {
        return compare(read(oldBytes), read(newBytes));
    }

    /** As {@link #compare(byte[], byte[])}, for classes already read ({@link #read}); neither is changed. */
    public static Result compare(ClassNode oldClass, ClassNode newClass) {
        return compare(oldClass, newClass, true);
    }

    /**
     * As {@link #compare(ClassNode, ClassNode)}, without the comparison of what a patch cannot carry
     * (reflection's view, parameter names, throws clauses, annotations: {@link NotCarriedDiff}), so the
     * result's {@code notCarried} lacks those. The agent's checks ask only what the patch runs and what
     * is refused; what it does not carry is the builder's report, which the patch file holds.
     */
    public static Result compareCarried(ClassNode oldClass, ClassNode newClass) {
        return compare(oldClass, newClass, false);
    }

    /** As {@link #compareCarried(ClassNode, ClassNode)}, for class files. */
    public static Result compareCarried(byte[] oldBytes, byte[] newBytes) {
        return compare(read(oldBytes), read(newBytes), false);
    }

    private static Result compare(ClassNode oldClass, ClassNode newClass, boolean withNotCarried) {
        ClassDiff diff = new ClassDiff(oldClass, newClass);
        diff.withNotCarried = withNotCarried;
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
        if (withNotCarried) {
            notCarried.addAll(NotCarriedDiff.compare(className, oldClass, newClass, addedVisibleToReflection()));
        }
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
        if ((oldClass.access & CLASS_KIND) != (newClass.access & CLASS_KIND)) {
            refuse(null, "its kind changed from '" + Modifiers.ofClass(oldClass.access) + "' to '"
                    + Modifiers.ofClass(newClass.access) + "' (interface, abstract, enum, record and annotation "
                    + "decide how the loaded class is used, and cannot change)",
                "keep the class's modifiers as they were");
        } else if ((oldClass.access & CLASS_MODIFIERS) != (newClass.access & CLASS_MODIFIERS)) {
            changes.add(new Change(ChangeKind.MODIFIERS, CLASS_MEMBER, ModifierChanges.ofClass(oldClass.access,
                newClass.access)));
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
                    changes.add(new Change(ChangeKind.FIELD_REMOVED, member, "the " + Modifiers.ofField(of.access)
                        + " field stays in " + ((of.access & Opcodes.ACC_STATIC) != 0 ? "the class" : "every object")
                        + ": code of older generations and code outside the patch may still use it; the new code does not"));
                    removedStillVisible(member, of.access, "field");
                }
            } else if (!of.desc.equals(nf.desc)) {
                if ((of.access & Opcodes.ACC_STATIC) != (nf.access & Opcodes.ACC_STATIC)) {
                    refuse(member, "the field's type and its 'static' changed at once", "keep the field as it was and "
                        + "add a new one");
                    continue;
                }
                changes.add(new Change(ChangeKind.FIELD_REMOVED, member, "its type changed to "
                    + Type.getType(nf.desc).getClassName() + ": the old field stays for older code"));
                // The new field is added under the same name and its new type (below).
            } else if ((of.access & Opcodes.ACC_STATIC) != (nf.access & Opcodes.ACC_STATIC)) {
                refuse(member, "the field became " + ((nf.access & Opcodes.ACC_STATIC) != 0 ? "static" : "an instance field")
                        + " (code outside the patch reaches it the old way, and the loaded class's layout cannot change)",
                    "keep the field as it was and add a new field with another name");
            } else if ((of.access & FIELD_MODIFIERS) != (nf.access & FIELD_MODIFIERS)) {
                compareFieldModifiers(member, of, nf);
            }
        }
        for (FieldNode nf : newClass.fields) {
            FieldNode same = oldByName.get(nf.name);
            if (same != null && same.desc.equals(nf.desc)) {
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
            } else {
                addedInstanceField(member, nf, same == null ? null : same.desc);
            }
        }
    }

    /**
     * An instance field the loaded class does not have (or has with another type): a shadow field,
     * whose value for an object that exists comes from FieldInitializers, once, on first access.
     */
    private void addedInstanceField(String member, FieldNode nf, String loadedDesc) {
        FieldInitializers.Kind kind = FieldInitializers.kind(newClass, nf, loadedDesc);
        String retyped = loadedDesc == null ? "" : "its type changed from " + Type.getType(loadedDesc).getClassName()
            + ": ";
        String note = switch (kind) {
            case CONVERTED -> retyped + "shadow field; objects that exist get the old field's value, converted, on first "
                + "access";
            case EXPRESSION -> retyped + "shadow field; objects that exist get the initializer's value on first access "
                + "(run once per object)";
            case DEFAULT -> retyped + "shadow field; objects that exist when the patch is applied start with "
                + defaultValue(nf.desc);
        };
        changes.add(new Change(ChangeKind.FIELD_ADDED, member, note));
        if (kind != FieldInitializers.Kind.DEFAULT || !constructorsWrite(nf)) {
            return;
        }
        if ((nf.access & Opcodes.ACC_FINAL) != 0 || loadedDesc != null) {
            notCarried.add(new NotCarried(className, member, "the " + ((nf.access & Opcodes.ACC_FINAL) != 0 ? "final "
                    : "") + "field the patch adds" + (loadedDesc != null ? " (with its new type)" : "") + " gets its value "
                    + "from the constructors' arguments, which objects that exist never ran: they read "
                    + defaultValue(nf.desc) + " until written",
                "give the field an initializer expression, or migrate existing objects with an object transformer "
                    + "(docs/patch-format.md), or restart"));
        } else {
            warnings.add("added field " + member + " is set by a constructor, but objects that exist when the "
                + "patch is applied never ran it and hold " + defaultValue(nf.desc) + "; the new code must expect that");
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
                    staticInitializer();
                } else if ("<init>".equals(om.name)) {
                    changes.add(new Change(ChangeKind.METHOD_REMOVED, key, "the " + Modifiers.ofMethod(om.access)
                        + " constructor stays: code outside the patch may still call it and runs its old body"));
                    removedStillVisible(key, om.access, "constructor");
                } else {
                    changes.add(new Change(ChangeKind.METHOD_REMOVED, key, "the " + Modifiers.ofMethod(om.access)
                        + " method stays loaded: code outside the patch may still call it and runs its old body; "
                        + ((om.access & Opcodes.ACC_STATIC) == 0 ? "if it overrides an inherited method, the new "
                        + "generation runs the inherited one instead; " : "") + "the new code does not call it"));
                    removedStillVisible(key, om.access, "<init>".equals(om.name) ? "constructor" : "method");
                }
                continue;
            }
            if (!compareMethodModifiers(key, om, nm)) {
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
                staticInitializer();
            } else if ("<init>".equals(om.name)) {
                if (!ConstructorSplit.sameConstructor(oldClass.name, om, nm)) {
                    compareConstructor(key, om, nm);
                }
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
                staticInitializer();
            } else if ("<init>".equals(nm.name)) {
                addedConstructor(key, nm);
            } else if ((nm.access & Opcodes.ACC_NATIVE) != 0) {
                refuse(key, "a native method was added (the JVM binds native methods when it links the class)",
                    "ship it with the next release");
            } else if (isPrivate || isStatic) {
                String note = (nm.access & Opcodes.ACC_SYNTHETIC) != 0 ? "synthetic (lambda body or accessor)" : null;
                if ((nm.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                    note = "synchronized: the new code holds " + (isStatic ? "the class's" : "the receiver's") + " monitor";
                }
                changes.add(new Change(ChangeKind.METHOD_ADDED, key, note));
            } else if (OBJECT_METHODS.contains(key)) {
                refuse(key, "an override of " + nm.name + "() inherited from a superclass was added (a loaded class "
                        + "cannot get new overridable methods, and callers would keep reaching the inherited one)",
                    "ship it with the next release, or change the code that calls " + nm.name + "() to call a new "
                        + "static method instead");
            } else {
                changes.add(new Change(ChangeKind.METHOD_ADDED, key, "overridable: calls in patched code dispatch over "
                    + "the receiver's class, overrides in subclasses included"
                    + ((nm.access & Opcodes.ACC_ABSTRACT) != 0 ? "; abstract, so a subclass must implement it" : "")
                    + ((nm.access & Opcodes.ACC_SYNCHRONIZED) != 0 ? "; synchronized: holds the receiver's monitor" : "")));
            }
        }
    }

    /**
     * The static initializer changed, was added or removed: the statements of the new one that the
     * old one did not run run once when the patch is applied (StaticInitializers); the static fields
     * the old one built keep their values, and those whose initializing statement changed are named.
     */
    private void staticInitializer() {
        if ((newClass.access & Opcodes.ACC_INTERFACE) != 0) {
            refuse("<clinit>()V", "an interface's static initializer changed (the agent runs patched code in a class "
                + "beside the interface, which cannot set the interface's fields)", "move the state into a class");
            return;
        }
        StaticInitializers.Plan plan = StaticInitializers.plan(oldClass, newClass);
        StringBuilder note = new StringBuilder();
        if (plan.runsNothing()) {
            note.append("nothing of it runs: the old initializer ran every statement of the new one");
        } else {
            note.append("runs once when the patch is applied: ").append(plan.run().size()).append(" of ")
                .append(plan.statements()).append(" statement(s) of the new initializer, those the old one did not run");
        }
        if (!plan.keptFields().isEmpty()) {
            note.append("; existing static state keeps the value the old initializer built: ")
                .append(String.join(", ", plan.keptFields()));
            notCarried.add(new NotCarried(className, "<clinit>()V", "the static initializer sets "
                    + String.join(", ", plan.keptFields()) + " differently in the new build, but the running class keeps "
                    + "the values its old initializer built (a loaded class is never initialized again, and replacing "
                    + "state that code may hold would change it under that code)",
                "migrate the value in a class transformer (docs/patch-format.md), or rebuild the patch with "
                    + "'--reinitialize " + className + "' if the new generation should see freshly built state, or restart"));
        }
        changes.add(new Change(ChangeKind.STATIC_INITIALIZER, "<clinit>()V", note.toString()));
    }

    /**
     * A method's modifiers changed: carried where the new generation's code can honour the change
     * (visibility, final, synchronized added), otherwise refused or reported. A private method that
     * became static or the other way round is a private method removed and another added: nothing
     * outside the nest calls it. Returns whether the method's body is still to be compared.
     */
    private boolean compareMethodModifiers(String key, MethodNode om, MethodNode nm) {
        int changed = (om.access ^ nm.access) & METHOD_MODIFIERS;
        if (changed == 0) {
            return true;
        }
        if ((changed & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
            refuse(key, "the method's modifiers changed from '" + Modifiers.ofMethod(om.access) + "' to '"
                    + Modifiers.ofMethod(nm.access) + "' (abstract and native decide whether the loaded method has a "
                    + "body at all)", "keep the method abstract or native as it was");
            return false;
        }
        if ((changed & Opcodes.ACC_STATIC) != 0) {
            boolean bothPrivate = (om.access & nm.access & Opcodes.ACC_PRIVATE) != 0;
            if (!bothPrivate || "<init>".equals(om.name)) {
                refuse(key, "the method became " + ((nm.access & Opcodes.ACC_STATIC) != 0 ? "static" : "an instance "
                        + "method") + " (code outside the patch calls it the old way)",
                    "keep it as it was and add a new method with another name");
            } else {
                // Same key, other kind: the impl class holds it under the new kind's name (ImplNames).
                changes.add(new Change(ChangeKind.METHOD_REMOVED, key, "private " + ((om.access & Opcodes.ACC_STATIC)
                    != 0 ? "static" : "instance") + " method: stays loaded, unused by new code"));
                changes.add(new Change(ChangeKind.METHOD_ADDED, key, "the same private method, now "
                    + ((nm.access & Opcodes.ACC_STATIC) != 0 ? "static" : "an instance method")));
            }
            return false;
        }
        String note = ModifierChanges.ofMethod(om.access, nm.access);
        changes.add(new Change(ChangeKind.MODIFIERS, key, note));
        if ((om.access & ~nm.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
            notCarried.add(new NotCarried(className, key, "the method is no longer synchronized, but the loaded "
                    + "method still takes " + ((om.access & Opcodes.ACC_STATIC) != 0 ? "the class's" : "the receiver's")
                    + " monitor before its new code runs (a loaded method's modifiers cannot change)",
                "nothing, unless the new code waits for another thread that needs that monitor; then restart"));
        }
        return true;
    }

    /**
     * A non-private member the new build removed stays in the loaded class: reflection lists it, and
     * code outside the patch (frameworks that bind members by reflection, other libraries) still
     * reaches it, where the new build would fail to find it.
     */
    private void removedStillVisible(String member, int access, String kind) {
        if ((access & Opcodes.ACC_SYNTHETIC) != 0) {
            return;
        }
        String reached = "method".equals(kind) ? " (if it overrides an inherited method, that one runs, or, where "
            + "that one is abstract, the call throws AbstractMethodError; else its old code runs)" : "";
        notCarried.add(new NotCarried(className, member, "the " + kind + " was removed, but it stays in the loaded "
                + "class: reflection still finds it, and code outside the patch still reaches it" + reached
                + ", where the new build has none",
            "nothing, unless a framework finds it by reflection (a JSON mapper's getter, say) or other code must stop "
                + "using it; then restart"));
    }

    /** A field's modifiers changed (its static-ness did not): carried where patched code can honour it. */
    private void compareFieldModifiers(String member, FieldNode of, FieldNode nf) {
        boolean isStatic = (of.access & Opcodes.ACC_STATIC) != 0;
        boolean finalDropped = (of.access & ~nf.access & Opcodes.ACC_FINAL) != 0;
        if (finalDropped && isStatic && writesOutsideInitializer(nf)) {
            refuse(member, "the static field is no longer final and the new code writes it, but the loaded field "
                    + "stays final, and the JVM lets nothing but the class's static initializer write a static final "
                    + "field", "keep the field final and hold the changing value in a new field");
            return;
        }
        changes.add(new Change(ChangeKind.MODIFIERS, member, ModifierChanges.ofField(of.access, nf.access)));
        if (((of.access ^ nf.access) & Opcodes.ACC_TRANSIENT) != 0) {
            notCarried.add(new NotCarried(className, member, "the field is " + ((nf.access & Opcodes.ACC_TRANSIENT) != 0
                    ? "now" : "no longer") + " transient, but serialization reads the loaded class's modifiers",
                "nothing, unless objects of the class are serialized; then restart"));
        }
    }

    /** Whether code of the new version other than the static initializer writes this static field. */
    private boolean writesOutsideInitializer(FieldNode f) {
        for (MethodNode m : newClass.methods) {
            if ("<clinit>".equals(m.name)) {
                continue;
            }
            for (org.objectweb.asm.tree.AbstractInsnNode insn : m.instructions) {
                if (insn instanceof org.objectweb.asm.tree.FieldInsnNode fi && fi.getOpcode() == Opcodes.PUTSTATIC
                    && fi.owner.equals(newClass.name) && fi.name.equals(f.name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A constructor the loaded class does not have. Patched code that calls it allocates the object
     * and runs the constructor's super(...)/this(...) call (a superclass's constructor is run on the
     * new object the way deserialization does), then its body; see ConstructorFactories.
     */
    private void addedConstructor(String key, MethodNode nm) {
        String owner = newClass.name;
        ConstructorSplit.Split split = ConstructorSplit.analyze(owner, nm);
        if ((newClass.access & (Opcodes.ACC_ENUM | Opcodes.ACC_RECORD)) != 0) {
            refuse(key, "a constructor was added to " + ((newClass.access & Opcodes.ACC_ENUM) != 0 ? "an enum (its "
                    + "constants are made once, when it is initialized)" : "a record (only the record's own "
                    + "constructors may write its fields)"), "add a static factory method that uses an existing constructor");
        } else if (split.index() < 0 || !split.stackEmpty()) {
            refuse(key, "a constructor was added whose super(...)/this(...) call cannot be found",
                "rebuild the class with javac");
        } else if (nm.tryCatchBlocks.stream().anyMatch(t -> nm.instructions.indexOf(t.start) < split.index())) {
            refuse(key, "a constructor was added with a try block around its super(...)/this(...) call",
                "move the call out of the try block");
        } else {
            changes.add(new Change(ChangeKind.METHOD_ADDED, key, "a constructor: patched code that calls it allocates "
                + "the object, runs its super(...)/this(...) call, then its body"));
        }
    }

    private void compareConstructor(String key, MethodNode om, MethodNode nm) {
        String owner = oldClass.name;
        if (ConstructorSplit.initializingCall(owner, nm) < 0) {
            refuse(key, "the constructor has no super(...) or this(...) call that can be found", "rebuild with javac");
            return;
        }
        boolean prefixChanged = !ConstructorSplit.prefixFingerprint(owner, om).equals(ConstructorSplit.prefixFingerprint(owner, nm));
        if (prefixChanged) {
            int split = ConstructorSplit.initializingCall(owner, nm);
            org.objectweb.asm.tree.MethodInsnNode call = (org.objectweb.asm.tree.MethodInsnNode) nm.instructions.get(split);
            boolean toAdded = call.owner.equals(owner) && oldClass.methods.stream()
                .noneMatch(m -> m.name.equals("<init>") && m.desc.equals(call.desc));
            if (toAdded) {
                refuse(key, "the constructor now calls this(...) of a constructor the patch adds, which the loaded "
                        + "class cannot call before the object exists", "call a constructor the class already has");
                return;
            }
            if (!ConstructorSplit.analyze(owner, nm).stackEmpty()) {
                refuse(key, "the constructor's new super(...)/this(...) call leaves values on the operand stack",
                    "rebuild the class with javac");
                return;
            }
            if (nm.tryCatchBlocks.stream().anyMatch(t -> nm.instructions.indexOf(t.start) < split)) {
                refuse(key, "the constructor's new super(...)/this(...) call is inside a try block",
                    "move the call out of the try block");
                return;
            }
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
        changes.add(new Change(ChangeKind.METHOD_BODY, key, prefixChanged
            ? "constructor: its super(...)/this(...) call changed: the loaded class is redefined once so that the call "
                + "runs per generation (one RedefineClasses safepoint), and the code after it runs as a method body"
            : "constructor: the code after super(...)/this(...)"));
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
