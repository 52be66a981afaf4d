package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.ConstructorSplit;
import io.livepatch4j.patch.diff.MethodBodies;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.util.HashMap;
import java.util.Map;

/**
 * The value an object that existed before the patch gets for an instance field the patch adds (a
 * shadow field), computed once, on the object's first access to the field, by the version's
 * {@code lp4j$init$<field>()} method:
 * <ul>
 *   <li>a field whose type changed, where the old type widens to the new one (int to long, say, or
 *       any reference type to Object): the old field's value, converted;</li>
 *   <li>a field with an initializer expression ({@code final Map<K, V> cache = new HashMap<>()}),
 *       which javac copies into every constructor that calls super(...), the same in each, reading
 *       no constructor argument: that expression, run on the object;</li>
 *   <li>otherwise the type's default (0, false, null): its value came from constructor arguments,
 *       which no longer exist, and the build report says so.</li>
 * </ul>
 */
public final class FieldInitializers {

    /** The host method that computes a shadow field's first value: instance {@code lp4j$init$name()T}. */
    public static String methodName(String field) {
        return "lp4j$init$" + field;
    }

    /** How a field's first value is found. */
    public enum Kind { CONVERTED, EXPRESSION, DEFAULT }

    /** An initializer expression's code (this in slot 0; leaves the value) and the stack it may need. */
    public record Expression(InsnList code, int maxStack) {
    }

    private FieldInitializers() {}

    /** How an added instance field of {@code version} gets its first value, given the loaded class's field of that name. */
    public static Kind kind(ClassNode version, FieldNode f, String loadedDesc) {
        if (loadedDesc != null && widens(loadedDesc, f.desc)) {
            return Kind.CONVERTED;
        }
        return expression(version, f) != null ? Kind.EXPRESSION : Kind.DEFAULT;
    }

    /** Writes {@code i$lp4j$init$name(Host)T} into the implementation class for every added instance field. */
    static void write(ClassWriter cw, ClassNode version, RewriteContext ctx, String statusClass) {
        PatchShape.Entry entry = ctx.shape().entry(ctx.host());
        if (entry == null) {
            return;
        }
        for (FieldNode f : version.fields) {
            if ((f.access & Opcodes.ACC_STATIC) != 0 || !entry.isAddedField(f.name, f.desc)) {
                continue;
            }
            String loadedDesc = entry.host().fieldDescriptor(f.name);
            MethodNode init = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "init",
                ImplNames.descriptor(ctx.host(), "()" + f.desc, false), null, null);
            Type type = Type.getType(f.desc);
            if (loadedDesc != null && widens(loadedDesc, f.desc)) {
                init.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
                init.instructions.add(new FieldInsnNode(Opcodes.GETFIELD, ctx.host(), f.name, loadedDesc));
                int conversion = conversion(Type.getType(loadedDesc), type);
                if (conversion != Opcodes.NOP) {
                    init.instructions.add(new InsnNode(conversion));
                }
                init.maxStack = 2;
            } else {
                Expression expr = expression(version, f);
                if (expr != null) {
                    init.instructions.add(expr.code());
                    init.maxStack = expr.maxStack();
                } else {
                    init.instructions.add(defaultValue(type));
                    init.maxStack = 2;
                }
            }
            init.instructions.add(new InsnNode(type.getOpcode(Opcodes.IRETURN)));
            init.maxLocals = 1;
            MethodVisitor out = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                ImplNames.method(methodName(f.name), false), init.desc, null, null);
            AddedConstructorCalls.rewrite(ctx.impl(), init, ctx);
            init.accept(ImplClassWriter.pipeline(ctx, new CodeOnly(out), statusClass));
        }
    }

    /**
     * The field's initializer expression with {@code this} in slot 0, or null: found in every
     * constructor that calls super(...) right after that call, as {@code aload_0; <expr>; putfield},
     * the same code in each, without branches or locals other than {@code this}.
     */
    public static Expression expression(ClassNode version, FieldNode f) {
        String found = null;
        Expression first = null;
        for (MethodNode m : version.methods) {
            if (!"<init>".equals(m.name)) {
                continue;
            }
            int split = ConstructorSplit.initializingCall(version.name, m);
            if (split < 0) {
                return null;
            }
            MethodInsnNode call = (MethodInsnNode) m.instructions.get(split);
            if (call.owner.equals(version.name)) {
                continue; // this(...): the other constructor initializes the fields
            }
            Found here = expressionIn(version.name, m, split, f);
            if (here == null || (found != null && !found.equals(here.text()))) {
                return null;
            }
            found = here.text();
            if (first == null) {
                first = new Expression(here.code(), Math.max(m.maxStack, 2));
            }
        }
        return first;
    }

    /** An expression found in one constructor: its code, and its text for comparing constructors. */
    private record Found(InsnList code, String text) {
    }

    private static Found expressionIn(String owner, MethodNode m, int split, FieldNode f) {
        Frame<SourceValue>[] frames;
        try {
            frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, m);
        } catch (AnalyzerException e) {
            return null;
        }
        for (int i = split + 1; i < m.instructions.size(); i++) {
            AbstractInsnNode insn = m.instructions.get(i);
            if (!(insn instanceof FieldInsnNode fi) || fi.getOpcode() != Opcodes.PUTFIELD || !fi.owner.equals(owner)
                || !fi.name.equals(f.name) || !fi.desc.equals(f.desc) || frames[i] == null) {
                continue;
            }
            SourceValue receiver = frames[i].getStack(frames[i].getStackSize() - 2);
            if (receiver.insns.size() != 1) {
                return null;
            }
            AbstractInsnNode start = receiver.insns.iterator().next();
            int from = m.instructions.indexOf(start);
            if (from <= split || !(start instanceof VarInsnNode v) || v.var != 0 || frames[from].getStackSize() != 0) {
                return null;
            }
            Map<LabelNode, LabelNode> labels = ImplClassWriter.freshLabels(m.instructions);
            InsnList out = new InsnList();
            for (int j = from + 1; j < i; j++) {
                AbstractInsnNode x = m.instructions.get(j);
                int type = x.getType();
                if (type == AbstractInsnNode.LINE || type == AbstractInsnNode.LABEL) {
                    continue;
                }
                if (type == AbstractInsnNode.JUMP_INSN || type == AbstractInsnNode.FRAME || type == AbstractInsnNode.TABLESWITCH_INSN
                    || type == AbstractInsnNode.LOOKUPSWITCH_INSN || type == AbstractInsnNode.IINC_INSN
                    || (type == AbstractInsnNode.VAR_INSN && ((VarInsnNode) x).var != 0)) {
                    return null;
                }
                out.add(x.clone(labels));
            }
            for (var t : m.tryCatchBlocks) {
                int s = m.instructions.indexOf(t.start);
                int e = m.instructions.indexOf(t.end);
                if (s < i && e > from) {
                    return null;
                }
            }
            return new Found(out, MethodBodies.fingerprint(m, m.instructions.get(from + 1), m.instructions.get(i - 1)));
        }
        return null;
    }

    /** Widening primitive conversions (JLS 5.1.2), and any reference type to Object. */
    static boolean widens(String from, String to) {
        if (from.equals(to)) {
            return false;
        }
        if ("Ljava/lang/Object;".equals(to) && (from.startsWith("L") || from.startsWith("["))) {
            return true;
        }
        String order = "BSIJFD";
        int a = order.indexOf(from.charAt(0));
        int b = order.indexOf(to.charAt(0));
        if (from.length() != 1 || to.length() != 1) {
            return false;
        }
        if ("C".equals(from)) {
            return "IJFD".contains(to);
        }
        return a >= 0 && b > a && !("S".equals(from) && "C".equals(to));
    }

    private static int conversion(Type from, Type to) {
        int f = from.getSort();
        int t = to.getSort();
        boolean fromInt = f == Type.BYTE || f == Type.SHORT || f == Type.CHAR || f == Type.INT;
        if (fromInt && t == Type.LONG) {
            return Opcodes.I2L;
        }
        if (fromInt && t == Type.FLOAT) {
            return Opcodes.I2F;
        }
        if (fromInt && t == Type.DOUBLE) {
            return Opcodes.I2D;
        }
        if (f == Type.LONG && t == Type.FLOAT) {
            return Opcodes.L2F;
        }
        if (f == Type.LONG && t == Type.DOUBLE) {
            return Opcodes.L2D;
        }
        if (f == Type.FLOAT && t == Type.DOUBLE) {
            return Opcodes.F2D;
        }
        return Opcodes.NOP;
    }

    /** The instruction that pushes {@code type}'s default value (0, 0L, 0f, 0d or null). */
    public static AbstractInsnNode defaultValue(Type type) {
        return switch (type.getSort()) {
            case Type.LONG -> new InsnNode(Opcodes.LCONST_0);
            case Type.FLOAT -> new InsnNode(Opcodes.FCONST_0);
            case Type.DOUBLE -> new InsnNode(Opcodes.DCONST_0);
            case Type.OBJECT, Type.ARRAY -> new InsnNode(Opcodes.ACONST_NULL);
            default -> new InsnNode(Opcodes.ICONST_0);
        };
    }
}
