package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.ClassDiff;
import io.livepatch4j.patch.diff.RecordConstructors;
import io.livepatch4j.patch.diff.ConstructorSplit;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives every method of a patchable class the prologue through which a patch takes effect:
 *
 * <pre>
 *   if (invokedynamic lp4j$guard()Z)                  // a MutableCallSite constant: false until the class is patched
 *       return invokedynamic i$m(this, args...);      // the calling thread's generation of m
 *   ...original body...
 * </pre>
 *
 * While the class is unpatched the JIT folds the guard to {@code false} and removes the branch, so
 * the prologue costs nothing. In a constructor the prologue follows the {@code super(...)} call,
 * because the code before it must run in the constructor itself.
 */
public final class PrologueWriter {

    /**
     * The instance field a class prepared at load gets, where the values of fields that patches add
     * live (see the agent's ShadowField): private, transient (no effect on serialization or on the
     * default serialVersionUID) and synthetic. Only the top prepared class of a hierarchy has one.
     */
    public static final String SHADOW_SLOT = "lp4j$shadow";

    /** The result: the new class bytes, and the methods left without a prologue, with the reason. */
    public record Result(byte[] bytes, List<String> skipped) {
    }

    private PrologueWriter() {}

    /** Whether a class file can take prologues at all: {@code invokedynamic} needs version 51 (Java 7). */
    public static boolean supports(int classFileVersion) {
        return (classFileVersion & 0xFFFF) >= Opcodes.V1_7;
    }

    public static Result addPrologues(byte[] classBytes) {
        return addPrologues(classBytes, false);
    }

    /**
     * Adds the prologues and, with {@code shadowSlot}, the {@link #SHADOW_SLOT} field. A class gets the
     * slot only when it is first defined (a retransformation cannot add fields), and then again at
     * every retransformation, so its shape never changes.
     */
    public static Result addPrologues(byte[] classBytes, boolean shadowSlot) {
        return addPrologues(classBytes, shadowSlot, null);
    }

    /**
     * The same; a class file older than version 51 is first brought to 51 with frames computed from
     * {@code hierarchy} ({@link FrameUpgrade}); without one, it keeps no prologue.
     */
    public static Result addPrologues(byte[] classBytes, boolean shadowSlot, ClassHierarchy hierarchy) {
        return addPrologues(classBytes, shadowSlot, hierarchy, desc -> List.of());
    }

    /**
     * The same, where constructors whose super(...)/this(...) call a patch changed also get, before
     * that call, a switch over the variants of it ({@link ConstructorPrefixes}): {@code prefixes}
     * gives each constructor's variants, the code of each up to and including its call, in the
     * order of their numbers (1, 2, ...).
     */
    public static Result addPrologues(byte[] classBytes, boolean shadowSlot, ClassHierarchy hierarchy,
                                      java.util.function.Function<String, List<MethodNode>> prefixes) {
        if (hierarchy != null && FrameUpgrade.needed(classBytes)) {
            classBytes = FrameUpgrade.toJava7(classBytes, hierarchy);
        }
        ClassNode node = ClassDiff.read(classBytes);
        if (shadowSlot && canHoldShadowSlot(node)) {
            node.fields.add(new org.objectweb.asm.tree.FieldNode(
                Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC, SHADOW_SLOT, "Ljava/lang/Object;", null, null));
        }
        List<String> skipped = new ArrayList<>();
        if (!supports(node.version)) {
            skipped.add("all methods: class file version " + (node.version & 0xFFFF) + " has no invokedynamic");
            return new Result(classBytes, skipped);
        }
        boolean itf = (node.access & Opcodes.ACC_INTERFACE) != 0;
        for (MethodNode m : node.methods) {
            if ("<clinit>".equals(m.name) || (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                continue;
            }
            if ("<init>".equals(m.name)) {
                String field = RecordConstructors.writtenField(node, m);
                String why = field != null ? "it writes the record's field " + field + ", which only <init> may"
                    : addToConstructor(node.name, m, prefixes.apply(m.desc));
                if (why != null) {
                    skipped.add(m.name + m.desc + ": " + why);
                }
            } else {
                addToMethod(node.name, itf, m);
            }
        }
        ClassWriter cw = new ClassWriter(0);
        node.accept(cw);
        return new Result(cw.toByteArray(), skipped);
    }

    /** Interfaces, annotations and records hold no instance state of their own to add a slot to. */
    public static boolean canHoldShadowSlot(ClassNode node) {
        return (node.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ANNOTATION)) == 0
            && !"java/lang/Record".equals(node.superName)
            && node.fields.stream().noneMatch(f -> SHADOW_SLOT.equals(f.name));
    }

    private static void addToMethod(String host, boolean itf, MethodNode m) {
        boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
        LabelNode original = new LabelNode();
        InsnList p = new InsnList();
        LabelNode start = new LabelNode();
        p.add(start);
        int line = firstLine(m);
        if (line > 0) {
            p.add(new LineNumberNode(line, start));
        }
        int flags = (isStatic ? RuntimeNames.FLAG_STATIC : 0) | (itf ? RuntimeNames.FLAG_INTERFACE : 0);
        int pushed = dispatch(p, host, m.name, m.desc, isStatic, flags, original);
        p.add(new InsnNode(Type.getReturnType(m.desc).getOpcode(Opcodes.IRETURN)));
        p.add(original);
        if (!startsWithFrame(m.instructions.getFirst())) {
            Object[] locals = initialLocals(host, m.desc, isStatic);
            p.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]));
        }
        m.instructions.insert(p);
        m.maxStack = Math.max(m.maxStack, Math.max(pushed, Type.getReturnType(m.desc).getSize()));
    }

    private static String addToConstructor(String host, MethodNode ctor, List<MethodNode> prefixes) {
        ConstructorSplit.Split split = ConstructorSplit.analyze(host, ctor);
        if (split.index() < 0) {
            return "no super(...)/this(...) call found";
        }
        if (!split.stackEmpty()) {
            return "the operand stack is not empty after super(...)/this(...)";
        }
        AbstractInsnNode call = ctor.instructions.get(split.index());
        if (prefixes != null && !prefixes.isEmpty()) {
            ConstructorPrefixes.splice(host, ctor, prefixes);
        }
        LabelNode rest = new LabelNode();
        InsnList p = new InsnList();
        int pushed = dispatch(p, host, ctor.name, ctor.desc, false, 0, rest);
        p.add(new InsnNode(Opcodes.RETURN));
        p.add(rest);
        if (!startsWithFrame(call.getNext())) {
            Object[] locals = split.localsAfter().toArray();
            p.add(new FrameNode(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]));
        }
        ctor.instructions.insert(call, p);
        ctor.maxStack = Math.max(ctor.maxStack, pushed);
        return null;
    }

    /** Appends the guard and the dispatch call; returns the operand stack slots it needs. */
    private static int dispatch(InsnList p, String host, String name, String desc, boolean isStatic, int flags,
                                LabelNode unpatched) {
        p.add(new InvokeDynamicInsnNode("lp4j$guard", "()Z", RuntimeNames.GUARD));
        p.add(new JumpInsnNode(Opcodes.IFEQ, unpatched));
        return dispatchCall(p, host, name, desc, isStatic, flags);
    }

    /**
     * Appends the dispatch call alone: the receiver and the arguments, then the method of the calling
     * thread's generation. Returns the operand stack slots it needs.
     */
    static int dispatchCall(InsnList p, String host, String name, String desc, boolean isStatic, int flags) {
        int slot = 0;
        if (!isStatic) {
            p.add(new VarInsnNode(Opcodes.ALOAD, 0));
            slot = 1;
        }
        for (Type t : Type.getArgumentTypes(desc)) {
            p.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), slot));
            slot += t.getSize();
        }
        p.add(new InvokeDynamicInsnNode(ImplNames.method(name, isStatic), ImplNames.descriptor(host, desc, isStatic),
            RuntimeNames.METHOD, name, desc, flags));
        return Math.max(slot, 1);
    }

    static boolean startsWithFrame(AbstractInsnNode insn) {
        for (; insn != null; insn = insn.getNext()) {
            if (insn.getType() == AbstractInsnNode.FRAME) {
                return true;
            }
            if (insn.getType() != AbstractInsnNode.LABEL && insn.getType() != AbstractInsnNode.LINE) {
                return false;
            }
        }
        return false;
    }

    private static int firstLine(MethodNode m) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LineNumberNode ln) {
                return ln.line;
            }
        }
        return -1;
    }

    /** The locals a method starts with, in frame form: the receiver (unless static), then the parameters. */
    static Object[] initialLocals(String host, String desc, boolean isStatic) {
        List<Object> locals = new ArrayList<>();
        if (!isStatic) {
            locals.add(host);
        }
        for (Type t : Type.getArgumentTypes(desc)) {
            locals.add(switch (t.getSort()) {
                case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
                case Type.FLOAT -> Opcodes.FLOAT;
                case Type.LONG -> Opcodes.LONG;
                case Type.DOUBLE -> Opcodes.DOUBLE;
                default -> t.getInternalName();
            });
        }
        return locals.toArray();
    }
}
