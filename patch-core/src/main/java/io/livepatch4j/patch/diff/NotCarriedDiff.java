package io.livepatch4j.patch.diff;

import io.livepatch4j.patch.NotCarried;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InnerClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.ParameterNode;
import org.objectweb.asm.tree.RecordComponentNode;
import org.objectweb.asm.tree.TypeAnnotationNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The differences between two versions of a class that a patch does not carry: what the JVM keeps
 * from the class as it was loaded, because a patch changes code, never the loaded class's metadata.
 * Reflection and everything built on it (frameworks, serialization, method handles) reads the
 * loaded class: its annotations, generic signatures, {@code throws} clauses, varargs flags,
 * parameter names, the values of its constants, its list of members. Each difference is one
 * {@link NotCarried} that says what the patched JVM does and what to do when that matters.
 *
 * <p>The code differences ({@link ClassDiff}) and these are disjoint: a change to a method's body is
 * carried, a change to its annotations beside it is reported here.
 */
final class NotCarriedDiff {

    private static final String RESTART = "restart the JVM on the new build if anything reads it at run time";
    private static final Set<String> SERIALIZATION_METHODS = Set.of(
        "writeObject(Ljava/io/ObjectOutputStream;)V", "readObject(Ljava/io/ObjectInputStream;)V",
        "readObjectNoData()V", "writeReplace()Ljava/lang/Object;", "readResolve()Ljava/lang/Object;");

    private static final Set<String> HASH_METHODS = Set.of("hashCode()I", "equals(Ljava/lang/Object;)Z");

    private final String className;
    private final ClassNode oldClass;
    private final ClassNode newClass;
    private final List<NotCarried> found = new ArrayList<>();

    private NotCarriedDiff(String className, ClassNode oldClass, ClassNode newClass) {
        this.className = className;
        this.oldClass = oldClass;
        this.newClass = newClass;
    }

    /**
     * @param addedMembers members the patch adds (shadow fields, methods in the implementation class),
     *                     which the loaded class never shows to reflection
     */
    static List<NotCarried> compare(String className, ClassNode oldClass, ClassNode newClass,
                                    List<String> addedMembers) {
        NotCarriedDiff d = new NotCarriedDiff(className, oldClass, newClass);
        d.compareClass();
        d.compareFields();
        d.compareMethods();
        d.compareRecordComponents();
        if (!addedMembers.isEmpty()) {
            d.add(null, "the members the patch adds (" + String.join(", ", addedMembers) + ") are not visible to "
                    + "reflection: getDeclaredMethods()/getDeclaredFields() and frameworks that find members that way "
                    + "(serialization, JSON binding, dependency injection) see the class as loaded",
                "call added members from code only; if a framework must find them, restart on the new build");
        }
        return d.found;
    }

    private void compareClass() {
        if (!annotations(oldClass.visibleAnnotations, oldClass.visibleTypeAnnotations)
            .equals(annotations(newClass.visibleAnnotations, newClass.visibleTypeAnnotations))) {
            add(null, "its runtime annotations changed from " + annotationText(oldClass.visibleAnnotations, oldClass.visibleTypeAnnotations) + " to "
                + annotationText(newClass.visibleAnnotations, newClass.visibleTypeAnnotations) + "; reflection keeps showing the old ones",
                RESTART + " (frameworks often read annotations once, at start)");
        }
        if (!Objects.equals(oldClass.signature, newClass.signature)) {
            add(null, "its generic signature changed from " + text(oldClass.signature) + " to " + text(newClass.signature)
                + "; reflection (getGenericSuperclass, getTypeParameters) keeps showing the old one", RESTART);
        }
        Integer oldInner = innerAccess(oldClass);
        Integer newInner = innerAccess(newClass);
        if (oldInner != null && newInner != null && !oldInner.equals(newInner)) {
            add(null, "its modifiers as a nested class changed from '" + Modifiers.ofClass(oldInner) + "' to '"
                + Modifiers.ofClass(newInner) + "'; Class.getModifiers() keeps showing the old ones", RESTART);
        }
    }

    private void compareFields() {
        FieldNode oldUid = serialVersionUid(oldClass);
        FieldNode newUid = serialVersionUid(newClass);
        if ((oldUid == null) != (newUid == null)) {
            add(newUid != null ? "serialVersionUID:J" : null, "serialVersionUID was " + (newUid != null ? "added" : "removed")
                    + "; serialization keeps the UID the loaded class has ("
                    + (oldUid != null ? oldUid.value : "computed from its members") + "), so streams of the new build are "
                    + "refused here (InvalidClassException), and the other way round",
                "keep serialVersionUID as it was in a patch, or restart on the new build");
        } else if (oldUid == null && SerialUids.serializable(oldClass) && SerialUids.defaultUid(oldClass) != SerialUids.defaultUid(newClass)) {
            add(null, "the class is serializable without a serialVersionUID, and the one serialization computes from its "
                    + "members changes (" + SerialUids.defaultUid(oldClass) + " to " + SerialUids.defaultUid(newClass)
                    + "); serialization keeps the old one, so streams of the new build are refused here "
                    + "(InvalidClassException), and the other way round",
                "declare serialVersionUID = " + SerialUids.defaultUid(oldClass) + "L in the fix, or restart on the new build");
        }
        Map<String, FieldNode> newByKey = new HashMap<>();
        newClass.fields.forEach(f -> newByKey.put(f.name + ":" + f.desc, f));
        for (FieldNode of : oldClass.fields) {
            String key = of.name + ":" + of.desc;
            FieldNode nf = newByKey.get(key);
            if (nf == null) {
                continue;
            }
            if (!annotations(of.visibleAnnotations, of.visibleTypeAnnotations)
                .equals(annotations(nf.visibleAnnotations, nf.visibleTypeAnnotations))) {
                add(key, "the field's runtime annotations changed from " + annotationText(of.visibleAnnotations, of.visibleTypeAnnotations) + " to "
                    + annotationText(nf.visibleAnnotations, nf.visibleTypeAnnotations) + "; reflection keeps showing the old ones, so a framework "
                    + "that reads them (a JSON mapper that hides @JsonIgnore fields, say) keeps the old behaviour",
                    "make the fix in code (the patch carries code), or " + RESTART);
            }
            if (!Objects.equals(of.signature, nf.signature)) {
                add(key, "the field's generic type changed from " + text(of.signature) + " to " + text(nf.signature)
                    + "; Field.getGenericType() keeps showing the old one", RESTART);
            }
            // An instance field that is no longer final loses its ConstantValue; the old constructor set
            // the same value in every object, and patched code now reads the field: nothing to report.
            boolean finalDropped = nf.value == null && (of.access & Opcodes.ACC_STATIC) == 0
                && (of.access & ~nf.access & Opcodes.ACC_FINAL) != 0;
            if (!Objects.equals(of.value, nf.value) && !finalDropped) {
                constantChanged(key, of, nf);
            }
        }
    }

    private void constantChanged(String key, FieldNode of, FieldNode nf) {
        boolean isStatic = (of.access & Opcodes.ACC_STATIC) != 0;
        if (isStatic && "serialVersionUID".equals(of.name)) {
            add(key, "serialVersionUID changed from " + of.value + " to " + nf.value + "; serialization keeps using "
                    + of.value + ", so streams written by the new build are refused here (InvalidClassException) "
                    + "and streams written here are refused by the new build",
                "keep serialVersionUID as it was in a patch, or restart on the new build");
        } else if (isStatic) {
            add(key, "the constant changed from " + constant(of.value) + " to " + constant(nf.value) + "; code the "
                    + "patch carries uses the new value (javac copies constants into the code that uses them), but "
                    + "the field keeps the old one: reflection, method handles and VarHandles read " + constant(of.value),
                "read the value in code, not through reflection, or " + RESTART);
        } else {
            add(key, "the constant initial value changed from " + constant(of.value) + " to " + constant(nf.value)
                    + "; objects that exist when the patch is applied keep " + constant(of.value)
                    + " in the field, while code the patch carries uses " + constant(nf.value),
                "make the field static, or read it through a method, or " + RESTART);
        }
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
                continue;
            }
            if (!annotations(om.visibleAnnotations, om.visibleTypeAnnotations)
                .equals(annotations(nm.visibleAnnotations, nm.visibleTypeAnnotations))) {
                add(key, "the method's runtime annotations changed from " + annotationText(om.visibleAnnotations, om.visibleTypeAnnotations)
                    + " to " + annotationText(nm.visibleAnnotations, nm.visibleTypeAnnotations) + "; reflection keeps showing the old ones",
                    "make the fix in code (the patch carries code), or " + RESTART);
            }
            if (!parameterAnnotations(om).equals(parameterAnnotations(nm))) {
                add(key, "the runtime annotations of its parameters changed; reflection keeps showing the old ones",
                    "make the fix in code, or " + RESTART);
            }
            if (!Objects.equals(annotationValue(om.annotationDefault), annotationValue(nm.annotationDefault))) {
                add(key, "the annotation element's default changed from " + annotationValue(om.annotationDefault)
                    + " to " + annotationValue(nm.annotationDefault) + "; annotations that rely on the default keep "
                    + "the old value", RESTART);
            }
            if (!Objects.equals(om.signature, nm.signature)) {
                add(key, "the method's generic signature changed from " + text(om.signature) + " to "
                    + text(nm.signature) + "; reflection (getGenericReturnType, toGenericString) keeps the old one", RESTART);
            }
            if (!new TreeSet<>(om.exceptions).equals(new TreeSet<>(nm.exceptions))) {
                add(key, "its throws clause changed from " + types(om.exceptions) + " to " + types(nm.exceptions)
                    + "; getExceptionTypes() keeps the old list, and a dynamic proxy of an interface declaring it "
                    + "wraps a newly declared checked exception in UndeclaredThrowableException",
                    "keep the throws clause in a patch, or " + RESTART);
            }
            if ((om.access & Opcodes.ACC_VARARGS) != (nm.access & Opcodes.ACC_VARARGS)) {
                add(key, "the method " + ((nm.access & Opcodes.ACC_VARARGS) != 0 ? "became" : "is no longer")
                    + " varargs; isVarArgs() and method handles found by reflection keep the old behaviour",
                    "call it with an explicit array, or " + RESTART);
            }
            if ("<init>".equals(om.name) && om.instructions.size() > 0 && !MethodBodies.sameCode(om, nm)
                && !ConstructorSplit.sameConstructor(oldClass.name, om, nm) && writesOwnField(nm)) {
                add(key, "the constructor changed: objects made before the patch keep the state the old constructor "
                        + "gave them (fields it now sets otherwise, or initializes otherwise, keep their old values)",
                    "if existing objects must change, migrate them in the fix (read and fix the field where it is used), "
                        + "or restart");
            }
            if (!MethodBodies.sameCode(om, nm) && callsLookup(nm)) {
                add(key, "the changed method calls MethodHandles.lookup(): in patched code that is a lookup on " + className
                        + " with full privilege but without ORIGINAL access, so caller-sensitive methods (Class.forName, "
                        + "say) cannot be found through it, where the new build's can",
                    "look caller-sensitive methods up in code the patch does not change, or restart");
            }
            boolean ordering = "compareTo".equals(om.name) && Type.getArgumentTypes(om.desc).length == 1
                && om.desc.endsWith(")I");
            if ((HASH_METHODS.contains(key) || ordering) && (om.access & Opcodes.ACC_STATIC) == 0 && om.instructions.size() > 0
                && !MethodBodies.sameCode(om, nm)) {
                add(key, "the patch carries the new " + om.name + ", but objects already stored as keys of hash maps, "
                        + "sets or sorted collections stay where the old " + om.name + " put them; lookups with the "
                        + "new one can miss them",
                    "if such collections hold these objects, rebuild them after the patch, or restart");
            }
            if (!parameterNames(om).equals(parameterNames(nm))) {
                add(key, "its parameter names (compiled with -parameters) changed from " + parameterNames(om) + " to "
                    + parameterNames(nm) + "; Parameter.getName() keeps the old ones (frameworks bind by them)", RESTART);
            }
        }
        boolean serializable = newClass.interfaces.contains("java/io/Serializable")
            || newClass.interfaces.contains("java/io/Externalizable");
        for (MethodNode nm : newClass.methods) {
            String key = nm.name + nm.desc;
            if (!oldByKey.containsKey(key) && SERIALIZATION_METHODS.contains(key)
                && (nm.access & Opcodes.ACC_STATIC) == 0) {
                add(key, "a serialization method was added; serialization finds these methods by reflection on the "
                        + "loaded class, which does not have it, so it is never called"
                        + (serializable ? "" : " (if the class is serializable through a superclass)"),
                    "restart on the new build, or change an existing serialization method instead");
            }
        }
    }

    private void compareRecordComponents() {
        List<RecordComponentNode> before = oldClass.recordComponents == null ? List.of() : oldClass.recordComponents;
        List<RecordComponentNode> after = newClass.recordComponents == null ? List.of() : newClass.recordComponents;
        Map<String, RecordComponentNode> byName = new HashMap<>();
        after.forEach(c -> byName.put(c.name + ":" + c.descriptor, c));
        for (RecordComponentNode oc : before) {
            RecordComponentNode nc = byName.get(oc.name + ":" + oc.descriptor);
            if (nc == null) {
                continue;
            }
            if (!annotations(oc.visibleAnnotations, oc.visibleTypeAnnotations)
                .equals(annotations(nc.visibleAnnotations, nc.visibleTypeAnnotations))
                || !Objects.equals(oc.signature, nc.signature)) {
                add(oc.name + ":" + oc.descriptor, "the record component's annotations or generic type changed; "
                    + "getRecordComponents() keeps showing the old ones", RESTART);
            }
        }
    }

    private static FieldNode serialVersionUid(ClassNode c) {
        for (FieldNode f : c.fields) {
            if ("serialVersionUID".equals(f.name) && "J".equals(f.desc) && (f.access & Opcodes.ACC_STATIC) != 0) {
                return f;
            }
        }
        return null;
    }

    private void add(String member, String what, String advice) {
        found.add(new NotCarried(className, member, what, advice));
    }

    private static boolean callsLookup(MethodNode m) {
        for (org.objectweb.asm.tree.AbstractInsnNode insn : m.instructions) {
            if (insn instanceof org.objectweb.asm.tree.MethodInsnNode mi && "java/lang/invoke/MethodHandles".equals(mi.owner)
                && "lookup".equals(mi.name)) {
                return true;
            }
        }
        return false;
    }

    private boolean writesOwnField(MethodNode ctor) {
        for (org.objectweb.asm.tree.AbstractInsnNode insn : ctor.instructions) {
            if (insn instanceof org.objectweb.asm.tree.FieldInsnNode fi && fi.getOpcode() == Opcodes.PUTFIELD
                && fi.owner.equals(newClass.name)) {
                return true;
            }
        }
        return false;
    }

    /** The access flags an InnerClasses entry gives the class itself, or null if it is not nested. */
    private static Integer innerAccess(ClassNode node) {
        for (InnerClassNode ic : node.innerClasses) {
            if (ic.name.equals(node.name)) {
                return ic.access;
            }
        }
        return null;
    }

    private static String annotations(List<AnnotationNode> plain, List<TypeAnnotationNode> typeAnnotations) {
        StringBuilder b = new StringBuilder();
        if (plain != null) {
            plain.stream().map(NotCarriedDiff::annotation).sorted().forEach(b::append);
        }
        if (typeAnnotations != null) {
            for (TypeAnnotationNode t : typeAnnotations) {
                b.append("type:").append(t.typeRef).append(t.typePath).append(annotation(t));
            }
        }
        return b.toString();
    }

    private static String parameterAnnotations(MethodNode m) {
        if (m.visibleParameterAnnotations == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (List<AnnotationNode> p : m.visibleParameterAnnotations) {
            b.append('(').append(annotations(p, null)).append(')');
        }
        return b.toString();
    }

    private static List<String> parameterNames(MethodNode m) {
        List<String> names = new ArrayList<>();
        if (m.parameters != null) {
            for (ParameterNode p : m.parameters) {
                names.add(p.name);
            }
        }
        return names;
    }

    /** Plain annotations, then type annotations ({@code TYPE_USE}) marked as such. */
    private static String annotationText(List<AnnotationNode> list, List<TypeAnnotationNode> typeAnnotations) {
        List<String> out = new ArrayList<>();
        if (list != null) {
            list.forEach(a -> out.add(annotation(a)));
        }
        if (typeAnnotations != null) {
            typeAnnotations.forEach(a -> out.add(annotation(a) + " (on a type)"));
        }
        return out.isEmpty() ? "none" : String.join(" ", out);
    }

    /** {@code @com.acme.Secret(level=2)}, elements sorted by name. */
    private static String annotation(AnnotationNode a) {
        StringBuilder b = new StringBuilder("@").append(Type.getType(a.desc).getClassName());
        if (a.values != null && !a.values.isEmpty()) {
            Map<String, String> elements = new java.util.TreeMap<>();
            for (int i = 0; i + 1 < a.values.size(); i += 2) {
                elements.put((String) a.values.get(i), annotationValue(a.values.get(i + 1)));
            }
            b.append('(');
            elements.forEach((k, v) -> b.append(k).append('=').append(v).append(','));
            b.setLength(b.length() - 1);
            b.append(')');
        }
        return b.toString();
    }

    private static String annotationValue(Object v) {
        if (v == null) {
            return "none";
        } else if (v instanceof AnnotationNode a) {
            return annotation(a);
        } else if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            list.forEach(e -> out.add(annotationValue(e)));
            return out.toString();
        } else if (v instanceof String[] enumValue) {
            return Type.getType(enumValue[0]).getClassName() + "." + enumValue[1];
        } else if (v instanceof Type t) {
            return t.getClassName() + ".class";
        } else if (v.getClass().isArray()) {
            return arrayText(v);
        }
        return constant(v);
    }

    private static String arrayText(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        Object[] boxed = new Object[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = java.lang.reflect.Array.get(array, i);
        }
        return Arrays.toString(boxed);
    }

    private static String constant(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    private static String text(String s) {
        return s == null ? "none" : s;
    }

    private static String types(List<String> internalNames) {
        List<String> out = new ArrayList<>();
        internalNames.forEach(n -> out.add(n.replace('/', '.')));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }
}
