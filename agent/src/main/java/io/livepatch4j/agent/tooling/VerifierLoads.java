package io.livepatch4j.agent.tooling;

import io.livepatch4j.patch.diff.ClassShape;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The classes the JVM's verifier may load as it verifies a constructor call variant (AheadVariants):
 * those of every assignability check between two different class names that the variant's code
 * makes (a value passed, stored or called on where its declared type is another class: the target,
 * to tell an interface, and the value's class unless the target is one), and every class its frames
 * declare. A call on a value of the named type itself, an allocation or a cast loads nothing.
 *
 * <p>Found with ASM's analyzer over the variant, each type's superclass and kind read from class files
 * ({@code files}). The analyzer merges the types at a join where the verifier checks them against the
 * declared frame: every class of such a merge counts, and every value's class where a frame is
 * declared; a thrown value counts against Throwable, and the object a superclass's member is reached
 * on (the verifier's check of protected access), neither of which ASM's analyzer checks. So the set
 * can hold more classes than the verifier loads, never fewer that we know of. A class without a class
 * file ends the analysis: the caller then splices no variant, as does a use of the object before
 * its call that the verifier refuses and ASM's analyzer takes for an object of the class (a field the
 * patch adds, set there, which the rewriting makes a call taking the object).
 */
final class VerifierLoads {

    /** The call to the version's body after the variant, as the analyzer sees it. */
    private static final String BODY = "lp4j$body";

    private VerifierLoads() {}

    /** The classes verifying {@code variant}, a constructor's code of {@code host} up to its call, may load. */
    static Set<String> of(String host, String superName, MethodNode variant, Function<String, ClassShape> files)
        throws AnalyzerException {
        Set<String> loads = new HashSet<>();
        MethodNode code = new MethodNode(Opcodes.ASM9, variant.access, variant.name, variant.desc, null, null);
        Map<LabelNode, LabelNode> labels = io.livepatch4j.patch.rewrite.ImplClassWriter.freshLabels(variant.instructions);
        for (AbstractInsnNode insn : variant.instructions) {
            code.instructions.add(insn.clone(labels));
            if (insn instanceof FrameNode f) {
                for (List<Object> values : java.util.Arrays.asList(f.local, f.stack)) {
                    if (values != null) {
                        values.stream().filter(String.class::isInstance).forEach(v -> addClass(loads, (String) v));
                    }
                }
            }
        }
        // After its call the variant goes to the version's body with the object and the constructor's
        // arguments as the locals hold them then (ConstructorPrefixes.splice): the verifier checks each
        // against the constructor's parameter type, a store into a parameter included.
        code.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        int slot = 1;
        for (Type a : Type.getArgumentTypes(variant.desc)) {
            code.instructions.add(new VarInsnNode(a.getOpcode(Opcodes.ILOAD), slot));
            slot += a.getSize();
        }
        code.instructions.add(new org.objectweb.asm.tree.MethodInsnNode(Opcodes.INVOKESTATIC, host, BODY,
            Type.getMethodDescriptor(Type.VOID_TYPE, prepend(Type.getObjectType(host), Type.getArgumentTypes(variant.desc))),
            false));
        code.instructions.add(new InsnNode(Opcodes.RETURN));
        code.maxStack = Math.max(variant.maxStack, slot + 1);
        code.maxLocals = variant.maxLocals;
        Recording verifier = new Recording(host, superName, files, loads);
        org.objectweb.asm.tree.analysis.Frame<BasicValue>[] frames = new Analyzer<>(verifier).analyze(host, code);
        // Where a frame is declared the verifier checks each value against it, while the analyzer only
        // merges: each value there counts (a local declared as a superclass of what it holds, say).
        for (int i = 0; i < code.instructions.size(); i++) {
            if (code.instructions.get(i) instanceof FrameNode && frames[i] != null) {
                org.objectweb.asm.tree.analysis.Frame<BasicValue> f = frames[i];
                for (int k = 0; k < f.getLocals(); k++) {
                    addValue(loads, f.getLocal(k));
                }
                for (int k = 0; k < f.getStackSize(); k++) {
                    addValue(loads, f.getStack(k));
                }
            }
        }
        return loads;
    }

    private static Type[] prepend(Type first, Type[] rest) {
        Type[] all = new Type[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void addValue(Set<String> loads, BasicValue v) {
        Type t = v == null ? null : v.getType();
        if (t != null && (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY) && !t.getDescriptor().equals("Lnull;")) {
            addClass(loads, t.getSort() == Type.ARRAY ? t.getDescriptor() : t.getInternalName());
        }
    }

    private static void addClass(Set<String> loads, String internalNameOrArray) {
        Type t = internalNameOrArray.startsWith("[") ? Type.getType(internalNameOrArray).getElementType()
            : Type.getObjectType(internalNameOrArray);
        if (t.getSort() == Type.OBJECT) {
            loads.add(t.getInternalName());
        }
    }

    /** ASM's verifier, answering from class files and recording the classes its checks would load. */
    private static final class Recording extends SimpleVerifier {
        private final Type host;
        private final Function<String, ClassShape> files;
        private final Set<String> loads;

        Recording(String host, String superName, Function<String, ClassShape> files, Set<String> loads) {
            super(Opcodes.ASM9, Type.getObjectType(host), superName == null ? null : Type.getObjectType(superName),
                List.of(), false);
            this.host = Type.getObjectType(host);
            this.files = files;
            this.loads = loads;
        }

        private ClassShape shape(Type t) {
            ClassShape s = files.apply(t.getInternalName());
            if (s == null) {
                throw new IllegalStateException("no class file for " + t.getClassName());
            }
            return s;
        }

        @Override
        protected boolean isInterface(Type type) {
            return type.getSort() == Type.OBJECT && shape(type).isInterface();
        }

        @Override
        protected Type getSuperClass(Type type) {
            String s = shape(type).superName();
            return s == null ? null : Type.getObjectType(s);
        }

        @Override
        protected boolean isAssignableFrom(Type target, Type value) {
            if (target.equals(value) || target.getDescriptor().equals("Ljava/lang/Object;")
                || value.getDescriptor().equals("Lnull;")) {
                return true;
            }
            if (target.getSort() == Type.ARRAY || value.getSort() == Type.ARRAY) {
                if (target.getSort() == Type.ARRAY && value.getSort() == Type.ARRAY) {
                    Type te = Type.getType(target.getDescriptor().substring(1));
                    Type ve = Type.getType(value.getDescriptor().substring(1));
                    return te.getSort() >= Type.ARRAY && ve.getSort() >= Type.ARRAY ? isAssignableFrom(te, ve) : te.equals(ve);
                }
                if (value.getSort() == Type.ARRAY) { // an array is an Object, Cloneable and Serializable
                    String t = target.getInternalName();
                    return t.equals("java/lang/Cloneable") || t.equals("java/io/Serializable");
                }
                return false;
            }
            loads.add(target.getInternalName()); // to tell an interface, which takes any object
            if (shape(target).isInterface()) {
                return true;
            }
            loads.add(value.getInternalName());
            for (String k = value.getInternalName(); k != null; k = shape(Type.getObjectType(k)).superName()) {
                if (k.equals(target.getInternalName())) {
                    return true;
                }
            }
            return false;
        }

        /** The object under construction, before its super(...)/this(...) call. */
        private static final class UninitializedThis extends BasicValue {
            UninitializedThis(Type type) {
                super(type);
            }
        }

        @Override
        public BasicValue newParameterValue(boolean isInstanceMethod, int local, Type type) {
            return isInstanceMethod && local == 0 ? new UninitializedThis(type) : super.newParameterValue(isInstanceMethod, local, type);
        }

        /**
         * Before its call, the object may only be called the call on, and have a field its own class
         * declares set: ASM's analyzer takes it for an object of the class, the verifier does not (a field
         * the patch adds, set there, becomes a call that takes the object).
         */
        private static void refuseUninitialized(AbstractInsnNode insn, List<? extends BasicValue> values, int allowed) {
            for (int i = 0; i < values.size(); i++) {
                if (i != allowed && values.get(i) instanceof UninitializedThis) {
                    throw new IllegalStateException("the new call's code uses the object before its super(...)/this(...) "
                        + "call (opcode " + insn.getOpcode() + ")");
                }
            }
        }

        @Override
        public BasicValue ternaryOperation(AbstractInsnNode insn, BasicValue value1, BasicValue value2, BasicValue value3)
            throws AnalyzerException {
            refuseUninitialized(insn, List.of(value1, value2, value3), -1);
            return super.ternaryOperation(insn, value1, value2, value3);
        }

        /**
         * The verifier checks a thrown value against Throwable, which ASM's does not; and a field read on
         * an object of a class other than this one, as protected access below.
         */
        @Override
        public BasicValue unaryOperation(AbstractInsnNode insn, BasicValue value) throws AnalyzerException {
            refuseUninitialized(insn, List.of(value), -1);
            if (insn.getOpcode() == Opcodes.ATHROW && value.getType() != null) {
                isAssignableFrom(Type.getObjectType("java/lang/Throwable"), value.getType());
            } else if (insn.getOpcode() == Opcodes.GETFIELD) {
                protectedAccess(((org.objectweb.asm.tree.FieldInsnNode) insn).owner, value);
            }
            return super.unaryOperation(insn, value);
        }

        @Override
        public BasicValue binaryOperation(AbstractInsnNode insn, BasicValue value1, BasicValue value2)
            throws AnalyzerException {
            if (insn.getOpcode() == Opcodes.PUTFIELD) {
                org.objectweb.asm.tree.FieldInsnNode f = (org.objectweb.asm.tree.FieldInsnNode) insn;
                boolean own = f.owner.equals(host.getInternalName()) && shape(host).hasField(f.name, f.desc);
                refuseUninitialized(insn, List.of(value1, value2), own ? 0 : -1);
                protectedAccess(f.owner, value1);
            } else {
                refuseUninitialized(insn, List.of(value1, value2), -1);
            }
            return super.binaryOperation(insn, value1, value2);
        }

        @Override
        public BasicValue naryOperation(AbstractInsnNode insn, List<? extends BasicValue> values)
            throws AnalyzerException {
            boolean call = insn instanceof org.objectweb.asm.tree.MethodInsnNode m
                && ((m.getOpcode() == Opcodes.INVOKESPECIAL && m.name.equals("<init>")) || m.name.equals(BODY));
            refuseUninitialized(insn, values, call ? 0 : -1);
            if (insn.getOpcode() == Opcodes.INVOKEVIRTUAL && !values.isEmpty()) {
                protectedAccess(((org.objectweb.asm.tree.MethodInsnNode) insn).owner, values.get(0));
            }
            return super.naryOperation(insn, values);
        }

        /**
         * A member of a superclass (Object's {@code clone} included) reached on an object of another class
         * than this one: where the member is protected and its class in another package, the verifier
         * checks the object against this class, loading the object's class. Counted whatever the
         * member's access, which the class files would tell only with more reading.
         */
        private void protectedAccess(String owner, BasicValue receiver) {
            Type t = receiver == null ? null : receiver.getType();
            if (t == null || t.getSort() != Type.OBJECT || t.equals(host) || t.getDescriptor().equals("Lnull;")) {
                return;
            }
            for (String k = host.getInternalName(); k != null; k = shape(Type.getObjectType(k)).superName()) {
                if (k.equals(owner)) {
                    loads.add(t.getInternalName());
                    return;
                }
            }
        }

        @Override
        protected Class<?> getClass(Type type) {
            throw new IllegalStateException("no class is loaded to verify ahead: " + type.getClassName());
        }
    }
}
