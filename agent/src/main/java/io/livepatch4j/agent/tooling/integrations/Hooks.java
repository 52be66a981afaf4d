package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.patch.rewrite.ClassHierarchy;
import io.livepatch4j.patch.rewrite.FrameUpgrade;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.List;

/**
 * Static calls into the bootstrap runtime woven into a class's methods with plain ASM, for the
 * integrations whose hooks need nothing more (JdkExecutors): a call when the method is entered, its
 * result kept in a new local; a call when it returns (before each return instruction) and, if asked,
 * when it throws (a catch-all handler that makes the call and throws on); and calls inside a method
 * replaced by a static call. This is what Byte Buddy's {@code Advice} does for them, without Byte
 * Buddy: a server's start then does not pay for its first use (docs/results/startup.md). The hooks
 * never throw (TaskHooks), so no handler guards them. Frames are computed by ASM, with superclasses
 * read from class files (never loading a class while one is being defined).
 */
public final class Hooks {

    private Hooks() {}

    /** What a hook call passes, in the hook's parameter order. */
    public enum Source {
        /** {@code this}. */
        THIS,
        /** The method's first argument. */
        ARG0,
        /** Its second. */
        ARG1,
        /** What the entry call returned. */
        ENTER,
        /** The value the method returns (exit calls on return only). */
        RETURN
    }

    /** A static call: {@code owner} (internal name) {@code name}{@code descriptor}, with {@code sources}. */
    public record Call(String owner, String name, String descriptor, List<Source> sources) {
        public Call(String owner, String name, String descriptor, Source... sources) {
            this(owner, name, descriptor, List.of(sources));
        }
    }

    /**
     * The calls woven into the methods named {@code method} whose descriptor {@code takes}
     * ({@link #any}, {@link #arguments}, {@link #parameters}); methods without code (abstract,
     * native) are left alone. {@code exit} runs before every return, and also when the method throws
     * if {@code exitOnThrow}.
     */
    public record MethodHook(String method, java.util.function.Predicate<String> takes, Call enter, Call exit,
                             boolean exitOnThrow) {
    }

    /** Any descriptor. */
    public static java.util.function.Predicate<String> any() {
        return d -> true;
    }

    /** Descriptors of {@code count} parameters, of any types. */
    public static java.util.function.Predicate<String> arguments(int count) {
        return d -> Type.getArgumentTypes(d).length == count;
    }

    /** Descriptors whose parameters are exactly {@code parameters} ({@code "(Ljava/lang/Runnable;)"}). */
    public static java.util.function.Predicate<String> parameters(String parameters) {
        return d -> d.startsWith(parameters);
    }

    /** In the methods named {@code method}, each {@code invokevirtual/invokeinterface owner.name descriptor} becomes {@code hook}. */
    public record CallSwap(String method, String owner, String name, String descriptor, Call hook) {
    }

    /** The hooks of one class (internal {@code name}, or every class whose name begins with it when {@code prefix}). */
    public record ClassHooks(String name, boolean prefix, List<String> except, List<MethodHook> methods,
                             List<CallSwap> swaps) {

        public boolean matches(String className) {
            return (prefix ? className.startsWith(name) : className.equals(name)) && !except.contains(className);
        }
    }

    /** The class with every hook in {@code hooks} that matches it woven in; null when none touched a method. */
    public static byte[] weave(byte[] bytes, List<ClassHooks> hooks, ClassLoader loader) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES);
        boolean changed = false;
        for (ClassHooks h : hooks) {
            if (!h.matches(node.name)) {
                continue;
            }
            for (MethodNode m : node.methods) {
                if (m.instructions.size() == 0) {
                    continue;
                }
                for (MethodHook mh : h.methods()) {
                    if (m.name.equals(mh.method()) && mh.takes().test(m.desc)) {
                        weave(m, mh);
                        changed = true;
                    }
                }
                for (CallSwap s : h.swaps()) {
                    if (m.name.equals(s.method())) {
                        changed |= swap(m, s);
                    }
                }
            }
        }
        if (!changed) {
            return null;
        }
        ClassWriter writer = FrameUpgrade.framesWriter(ClassHierarchy.ofResources(loader));
        node.accept(writer);
        return writer.toByteArray();
    }

    private static void weave(MethodNode m, MethodHook h) {
        if (h.exitOnThrow() && h.exit() != null && h.exit().sources().contains(Source.RETURN)) {
            throw new IllegalArgumentException("an exit call on throw has no return value to pass: " + h);
        }
        boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
        Type[] args = Type.getArgumentTypes(m.desc);
        Type returns = Type.getReturnType(m.desc);
        int enterLocal = -1;
        Type enterType = h.enter() == null ? null : Type.getReturnType(h.enter().descriptor());
        InsnList head = new InsnList();
        if (h.enter() != null) {
            push(head, h.enter(), isStatic, args, -1, null, returns, -1);
            if (enterType.getSort() != Type.VOID) {
                enterLocal = m.maxLocals;
                m.maxLocals += enterType.getSize();
                head.add(new VarInsnNode(enterType.getOpcode(Opcodes.ISTORE), enterLocal));
            }
        }
        LabelNode start = new LabelNode();
        head.add(start);
        if (h.exit() != null) {
            int returnLocal = -1;
            if (returns.getSort() != Type.VOID && h.exit().sources().contains(Source.RETURN)) {
                returnLocal = m.maxLocals;
                m.maxLocals += returns.getSize();
            }
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                int op = insn.getOpcode();
                if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                    InsnList exit = new InsnList();
                    if (returnLocal >= 0) {
                        exit.add(new VarInsnNode(returns.getOpcode(Opcodes.ISTORE), returnLocal));
                    }
                    push(exit, h.exit(), isStatic, args, enterLocal, enterType, returns, returnLocal);
                    if (returnLocal >= 0) {
                        exit.add(new VarInsnNode(returns.getOpcode(Opcodes.ILOAD), returnLocal));
                    }
                    m.instructions.insertBefore(insn, exit);
                }
            }
            if (h.exitOnThrow()) {
                LabelNode end = new LabelNode();
                LabelNode handler = new LabelNode();
                int thrown = m.maxLocals;
                m.maxLocals += 1;
                InsnList tail = new InsnList();
                tail.add(end);
                tail.add(handler);
                tail.add(new VarInsnNode(Opcodes.ASTORE, thrown));
                push(tail, h.exit(), isStatic, args, enterLocal, enterType, returns, -1);
                tail.add(new VarInsnNode(Opcodes.ALOAD, thrown));
                tail.add(new InsnNode(Opcodes.ATHROW));
                m.instructions.add(tail);
                // Last in the table: the method's own handlers, listed before, still catch first.
                m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
            }
        }
        m.instructions.insert(head);
    }

    /** Loads {@code call}'s sources and invokes it. */
    private static void push(InsnList code, Call call, boolean isStatic, Type[] args, int enterLocal, Type enterType,
                             Type returns, int returnLocal) {
        for (Source s : call.sources()) {
            switch (s) {
                case THIS -> code.add(new VarInsnNode(Opcodes.ALOAD, 0));
                case ARG0, ARG1 -> {
                    int index = s == Source.ARG0 ? 0 : 1;
                    int local = isStatic ? 0 : 1;
                    for (int i = 0; i < index; i++) {
                        local += args[i].getSize();
                    }
                    code.add(new VarInsnNode(args[index].getOpcode(Opcodes.ILOAD), local));
                }
                case ENTER -> code.add(new VarInsnNode(enterType.getOpcode(Opcodes.ILOAD), enterLocal));
                case RETURN -> code.add(new VarInsnNode(returns.getOpcode(Opcodes.ILOAD), returnLocal));
            }
        }
        code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, call.owner(), call.name(), call.descriptor(), false));
    }

    private static boolean swap(MethodNode m, CallSwap s) {
        boolean changed = false;
        for (AbstractInsnNode insn : m.instructions.toArray()) {
            if (insn instanceof MethodInsnNode call && (call.getOpcode() == Opcodes.INVOKEINTERFACE
                || call.getOpcode() == Opcodes.INVOKEVIRTUAL) && call.owner.equals(s.owner())
                && call.name.equals(s.name()) && call.desc.equals(s.descriptor())) {
                m.instructions.set(insn, new MethodInsnNode(Opcodes.INVOKESTATIC, s.hook().owner(), s.hook().name(),
                    s.hook().descriptor(), false));
                changed = true;
            }
        }
        return changed;
    }
}
