package io.livepatch4j.agent.tooling.integrations;

import io.livepatch4j.patch.rewrite.ClassHierarchy;
import io.livepatch4j.patch.rewrite.FieldInitializers;
import io.livepatch4j.patch.rewrite.FrameUpgrade;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.List;

/**
 * Static calls into the bootstrap runtime woven into a class's methods with plain ASM, for every
 * integration: a call when the method is entered, its result kept in a new local or put in place of
 * the first argument; a call before each return (which may pass or replace the return value) and, if
 * asked, when the method throws (a catch-all handler, last in the exception table, that makes the
 * call and throws on); and calls inside a method replaced by a static call. This is what Byte
 * Buddy's {@code Advice} did for them, without its set-up at a server's start
 * (docs/results/startup.md). The hooks never throw (TaskHooks); each call is guarded all the same
 * (see Frame.push), its guard first in the exception table. Only the methods that get hooks have
 * their frames computed, with superclasses read from class files (never loading a class while one is
 * being defined); the others are copied as they are.
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
        /** Its third. */
        ARG2,
        /** The field of {@code this} named by the call ({@link Call#field}), declared by the woven class. */
        FIELD,
        /** What the entry call returned. */
        ENTER,
        /** The value the method returns (exit calls on return only). */
        RETURN,
        /** What the method throws: null on a return (exit calls only). */
        THROWN
    }

    /**
     * A static call: {@code owner} (internal name) {@code name}{@code descriptor}, with {@code sources}.
     * What it returns goes to {@code result}: for an entry call, null keeps it in a new local (the
     * {@link Source#ENTER} of the exit call) and {@link Source#ARG0} replaces the first argument; for
     * an exit call, {@link Source#RETURN} replaces the value the method returns (the call returns the
     * method's return type) and null drops it.
     */
    public record Call(String owner, String name, String descriptor, List<Source> sources, String field, Source result) {
        public Call(String owner, String name, String descriptor, Source... sources) {
            this(owner, name, descriptor, List.of(sources), null, null);
        }

        /** This call, with {@link Source#FIELD} reading {@code this.field}. */
        public Call field(String field) {
            return new Call(owner, name, descriptor, sources, field, result);
        }

        /** This call, its result going to {@code result} (ARG0 for an entry call, RETURN for an exit call). */
        public Call into(Source result) {
            return new Call(owner, name, descriptor, sources, field, result);
        }

        Type returns() {
            return Type.getReturnType(descriptor);
        }
    }

    /**
     * The calls woven into the methods named {@code method} whose descriptor {@code takes}
     * ({@link #any}, {@link #arguments}, {@link #parameters}); methods without code (abstract,
     * native) and bridges are left alone. {@code exit} runs before every return, and also when the method throws
     * if {@code exitOnThrow}.
     */
    public record MethodHook(String method, java.util.function.Predicate<String> takes, Call enter, Call exit,
                             boolean exitOnThrow) {
        public MethodHook {
            if (method.equals("<clinit>") || (method.equals("<init>") && (enter != null || exitOnThrow))) {
                // Before its super call a constructor's this may not be passed, nor covered by a handler.
                throw new IllegalArgumentException("a constructor takes an exit call on return only, an initializer none: " + method);
            }
        }
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

    /**
     * The class with every hook in {@code hooks} that matches it woven in; null when none touched a
     * method. Only the methods that get hooks are read into trees and have their frames computed; the
     * others are copied as they are (a JDK class such as CompletableFuture has a hundred methods and
     * gets hooks in three).
     */
    public static byte[] weave(byte[] bytes, List<ClassHooks> hooks, ClassLoader loader) {
        ClassHierarchy hierarchy = ClassHierarchy.ofResources(loader);
        if (FrameUpgrade.needed(bytes)) {
            // Old class files: subroutines (jsr/ret, which frames cannot describe) inlined first.
            bytes = FrameUpgrade.toJava7(bytes, hierarchy);
        }
        ClassReader reader = new ClassReader(bytes);
        List<ClassHooks> matching = new java.util.ArrayList<>();
        for (ClassHooks h : hooks) {
            if (h.matches(reader.getClassName())) {
                matching.add(h);
            }
        }
        if (matching.isEmpty()) {
            return null;
        }
        ClassWriter writer = FrameUpgrade.framesWriter(reader, hierarchy);
        Weaver weaver = new Weaver(writer, matching);
        reader.accept(weaver, ClassReader.SKIP_FRAMES);
        return weaver.changed ? writer.toByteArray() : null;
    }

    /** Passes a class through to the writer, its hooked methods by way of a tree each. */
    private static final class Weaver extends ClassVisitor {
        private final List<ClassHooks> hooks;
        /** The class's name and fields, as read so far (fields come before methods in a class file). */
        private final ClassNode owner = new ClassNode();
        boolean changed;

        Weaver(ClassWriter writer, List<ClassHooks> hooks) {
            super(Opcodes.ASM9, writer);
            this.hooks = hooks;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            owner.name = name;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            owner.fields.add(new FieldNode(access, name, descriptor, signature, value));
            return super.visitField(access, name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor target = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE)) != 0) {
                return target; // no code; or a bridge, which calls the method that gets the hooks
            }
            List<MethodHook> methodHooks = new java.util.ArrayList<>();
            List<CallSwap> swaps = new java.util.ArrayList<>();
            for (ClassHooks h : hooks) {
                for (MethodHook mh : h.methods()) {
                    if (name.equals(mh.method()) && mh.takes().test(descriptor)) {
                        methodHooks.add(mh);
                    }
                }
                for (CallSwap s : h.swaps()) {
                    if (name.equals(s.method())) {
                        swaps.add(s);
                    }
                }
            }
            if (methodHooks.isEmpty() && swaps.isEmpty()) {
                return target; // copied as it is
            }
            return new MethodNode(Opcodes.ASM9, access, name, descriptor, signature, exceptions) {
                @Override
                public void visitEnd() {
                    for (MethodHook mh : methodHooks) {
                        weave(owner, this, mh);
                        changed = true;
                    }
                    for (CallSwap s : swaps) {
                        changed |= swap(owner, this, s);
                    }
                    accept(target);
                }
            };
        }
    }

    /**
     * The methods of {@code hooks} that the class {@code bytes} has no code for (absent, abstract or
     * native): hooks that will never run there. The unitOfWork option's are reported.
     */
    public static List<String> unmatched(byte[] bytes, ClassHooks hooks) {
        ClassNode node = new ClassNode();
        new ClassReader(bytes).accept(node, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        List<String> missing = new java.util.ArrayList<>();
        for (MethodHook mh : hooks.methods()) {
            boolean found = false;
            for (MethodNode m : node.methods) {
                found |= m.name.equals(mh.method()) && mh.takes().test(m.desc)
                    && (m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_BRIDGE)) == 0;
            }
            if (!found) {
                missing.add(mh.method());
            }
        }
        return missing;
    }

    private static void weave(ClassNode owner, MethodNode m, MethodHook h) {
        Call enter = h.enter();
        Call exit = h.exit();
        if (h.exitOnThrow() && exit != null && exit.sources().contains(Source.RETURN)) {
            throw new IllegalArgumentException("an exit call on throw has no return value to pass: " + h);
        }
        if (enter != null && (enter.sources().contains(Source.THROWN) || enter.sources().contains(Source.RETURN))) {
            throw new IllegalArgumentException("an entry call has no return value or exception to pass: " + h);
        }
        Frame frame = new Frame(owner, m);
        Type returns = frame.returns;
        List<TryCatchBlockNode> guards = new java.util.ArrayList<>();
        frame.guards = guards;
        InsnList head = new InsnList();
        if (enter != null) {
            frame.push(head, enter, -1);
            Type enterType = enter.returns();
            if (enter.result() == Source.ARG0) {
                head.add(new VarInsnNode(enterType.getOpcode(Opcodes.ISTORE), frame.argLocal(0)));
            } else if (enterType.getSort() != Type.VOID) {
                frame.enterType = enterType;
                frame.enterLocal = m.maxLocals;
                m.maxLocals += enterType.getSize();
                head.add(new VarInsnNode(enterType.getOpcode(Opcodes.ISTORE), frame.enterLocal));
            }
        }
        LabelNode start = new LabelNode();
        head.add(start);
        if (exit != null) {
            boolean replaces = exit.result() == Source.RETURN;
            if (replaces && !exit.returns().equals(returns)) {
                throw new IllegalArgumentException("an exit call that replaces the return value returns " + returns + ": " + h);
            }
            // The return value waits in a local while the exit call runs: its guard's handler would
            // find the operand stack emptied.
            int returnLocal = -1;
            if (returns.getSort() != Type.VOID && (!replaces || exit.sources().contains(Source.RETURN))) {
                returnLocal = m.maxLocals;
                m.maxLocals += returns.getSize();
            }
            for (AbstractInsnNode insn : m.instructions.toArray()) {
                int op = insn.getOpcode();
                if (op >= Opcodes.IRETURN && op <= Opcodes.RETURN) {
                    InsnList code = new InsnList();
                    if (returnLocal >= 0) {
                        code.add(new VarInsnNode(returns.getOpcode(Opcodes.ISTORE), returnLocal));
                    } else if (replaces) {
                        code.add(new InsnNode(returns.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
                    }
                    frame.push(code, exit, returnLocal);
                    if (!replaces) {
                        drop(code, exit.returns());
                        if (returnLocal >= 0) {
                            code.add(new VarInsnNode(returns.getOpcode(Opcodes.ILOAD), returnLocal));
                        }
                    }
                    m.instructions.insertBefore(insn, code);
                }
            }
            if (h.exitOnThrow()) {
                LabelNode end = new LabelNode();
                LabelNode handler = new LabelNode();
                frame.thrownLocal = m.maxLocals;
                m.maxLocals += 1;
                InsnList tail = new InsnList();
                tail.add(end);
                tail.add(handler);
                tail.add(new VarInsnNode(Opcodes.ASTORE, frame.thrownLocal));
                frame.push(tail, exit, -1);
                drop(tail, exit.returns());
                tail.add(new VarInsnNode(Opcodes.ALOAD, frame.thrownLocal));
                tail.add(new InsnNode(Opcodes.ATHROW));
                m.instructions.add(tail);
                // Last in the table: the method's own handlers, listed before, still catch first.
                m.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
            }
        }
        m.instructions.insert(head);
        // First in the table: whatever a hook call throws stops at its guard, before any other handler.
        m.tryCatchBlocks.addAll(0, guards);
    }

    private static void drop(InsnList code, Type value) {
        if (value.getSort() != Type.VOID) {
            code.add(new InsnNode(value.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP));
        }
    }

    /** Where a woven method's sources are: its arguments, the entry call's local, the exception in the handler. */
    private static final class Frame {
        private final ClassNode owner;
        private final MethodNode method;
        private final boolean isStatic;
        private final Type[] args;
        private final Type returns;
        Type enterType;
        int enterLocal = -1;
        /** The exception's local inside the catch-all handler; -1 elsewhere. */
        int thrownLocal = -1;
        /** The guards of the calls pushed so far. */
        List<TryCatchBlockNode> guards;

        Frame(ClassNode owner, MethodNode method) {
            this.owner = owner;
            this.method = method;
            this.isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
            this.args = Type.getArgumentTypes(method.desc);
            this.returns = Type.getReturnType(method.desc);
        }

        /** An instruction that loads {@code s}: {@code this} (null in a static method) or an argument. */
        AbstractInsnNode load(Source s) {
            if (s == Source.THIS) {
                return isStatic ? new InsnNode(Opcodes.ACONST_NULL) : new VarInsnNode(Opcodes.ALOAD, 0);
            }
            if (s.compareTo(Source.ARG0) < 0 || s.compareTo(Source.ARG2) > 0
                || s.ordinal() - Source.ARG0.ordinal() >= args.length) {
                throw new IllegalArgumentException(owner.name + "." + method.name + method.desc + ": " + s
                    + " is not this or one of its arguments");
            }
            int index = s.ordinal() - Source.ARG0.ordinal();
            return new VarInsnNode(args[index].getOpcode(Opcodes.ILOAD), argLocal(index));
        }

        int argLocal(int index) {
            if (index >= args.length) {
                throw new IllegalArgumentException(owner.name + "." + method.name + method.desc + " has no argument " + index);
            }
            int local = isStatic ? 0 : 1;
            for (int i = 0; i < index; i++) {
                local += args[i].getSize();
            }
            return local;
        }

        /**
         * Loads {@code call}'s sources and invokes it ({@code returnLocal}: where the return value is
         * kept, or -1), guarded: should the call itself throw (the hooks never do, but a class loader
         * that does not delegate the bootstrap runtime to the boot loader, as an OSGi framework may,
         * makes the call a NoClassDefFoundError; a stack overflow can strike at the call), the
         * exception is dropped and the call's result is its fallback: the first argument as it was for
         * a call that replaces it, else zero or null. The code then runs as it would without the agent.
         */
        void push(InsnList code, Call call, int returnLocal) {
            LabelNode begin = new LabelNode();
            LabelNode end = new LabelNode();
            LabelNode handler = new LabelNode();
            LabelNode after = new LabelNode();
            code.add(begin);
            for (Source s : call.sources()) {
                switch (s) {
                    case THIS, ARG0, ARG1, ARG2 -> code.add(load(s));
                    case FIELD -> {
                        code.add(new VarInsnNode(Opcodes.ALOAD, 0));
                        code.add(new FieldInsnNode(Opcodes.GETFIELD, owner.name, call.field(), fieldDescriptor(call.field())));
                    }
                    case ENTER -> code.add(new VarInsnNode(enterType.getOpcode(Opcodes.ILOAD), enterLocal));
                    case RETURN -> code.add(new VarInsnNode(returns.getOpcode(Opcodes.ILOAD), returnLocal));
                    case THROWN -> code.add(thrownLocal >= 0 ? new VarInsnNode(Opcodes.ALOAD, thrownLocal)
                        : new InsnNode(Opcodes.ACONST_NULL));
                }
            }
            code.add(new MethodInsnNode(Opcodes.INVOKESTATIC, call.owner(), call.name(), call.descriptor(), false));
            code.add(end);
            code.add(new JumpInsnNode(Opcodes.GOTO, after));
            code.add(handler);
            code.add(new InsnNode(Opcodes.POP));
            Type result = call.returns();
            if (call.result() == Source.ARG0) {
                code.add(new VarInsnNode(args[0].getOpcode(Opcodes.ILOAD), argLocal(0)));
            } else if (result.getSort() != Type.VOID) {
                code.add(FieldInitializers.defaultValue(result));
            }
            code.add(after);
            guards.add(new TryCatchBlockNode(begin, end, handler, "java/lang/Throwable"));
        }

        private String fieldDescriptor(String name) {
            for (FieldNode f : owner.fields) {
                if (f.name.equals(name) && (f.access & Opcodes.ACC_STATIC) == 0) {
                    return f.desc;
                }
            }
            throw new IllegalArgumentException(owner.name + " declares no instance field " + name);
        }
    }

    /**
     * The swap: the hook takes the call's receiver and arguments, then its own {@link Call#sources}
     * ({@link Source#THIS}, or an argument of the woven method), loaded just before it.
     */
    private static boolean swap(ClassNode owner, MethodNode m, CallSwap s) {
        Frame frame = new Frame(owner, m);
        boolean changed = false;
        for (AbstractInsnNode insn : m.instructions.toArray()) {
            if (insn instanceof MethodInsnNode call && (call.getOpcode() == Opcodes.INVOKEINTERFACE
                || call.getOpcode() == Opcodes.INVOKEVIRTUAL) && call.owner.equals(s.owner())
                && call.name.equals(s.name()) && call.desc.equals(s.descriptor())) {
                InsnList hook = new InsnList();
                for (Source source : s.hook().sources()) {
                    hook.add(frame.load(source));
                }
                hook.add(new MethodInsnNode(Opcodes.INVOKESTATIC, s.hook().owner(), s.hook().name(),
                    s.hook().descriptor(), false));
                m.instructions.insert(insn, hook);
                m.instructions.remove(insn);
                changed = true;
            }
        }
        return changed;
    }
}
