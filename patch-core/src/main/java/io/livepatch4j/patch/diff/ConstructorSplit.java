package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AnalyzerAdapter;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.List;

/**
 * Finds where a constructor's object becomes initialized: the {@code invokespecial <init>} whose
 * receiver is the uninitialized {@code this} (the {@code super(...)} or {@code this(...)} call).
 * The code before it can never be patched (it runs before the object exists); the code after it
 * can, as a static method that takes the object.
 */
public final class ConstructorSplit {

    private ConstructorSplit() {}

    /**
     * Where the object becomes initialized.
     *
     * @param index       index in the constructor's instructions of the initializing call, -1 if none
     * @param localsAfter the local variable types right after it, in {@code visitFrame} form
     * @param stackEmpty  whether the operand stack is empty right after it
     */
    public record Split(int index, List<Object> localsAfter, boolean stackEmpty) {
    }

    /**
     * Index in {@code ctor.instructions} of the initializing call, or -1 if there is none
     * (malformed). {@code ctor} must have been read with expanded frames.
     */
    public static int initializingCall(String owner, MethodNode ctor) {
        return analyze(owner, ctor).index();
    }

    public static Split analyze(String owner, MethodNode ctor) {
        int[] found = {-1};
        int[] index = {0};
        List<List<Object>> after = new java.util.ArrayList<>();
        boolean[] emptyAfter = {false};
        AnalyzerAdapter analyzer = new AnalyzerAdapter(Opcodes.ASM9, owner, ctor.access, ctor.name, ctor.desc, null) {
            @Override
            public void visitMethodInsn(int opcode, String mOwner, String name, String desc, boolean itf) {
                boolean initializes = false;
                if (found[0] < 0 && opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name) && stack != null) {
                    int receiver = stack.size() - 1 - argumentSlots(desc);
                    initializes = receiver >= 0 && stack.get(receiver) == Opcodes.UNINITIALIZED_THIS;
                }
                super.visitMethodInsn(opcode, mOwner, name, desc, itf);
                if (initializes) {
                    found[0] = index[0];
                    after.add(frameForm(locals));
                    emptyAfter[0] = stack != null && stack.isEmpty();
                }
            }
        };
        for (AbstractInsnNode insn = ctor.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            insn.accept(analyzer);
            index[0]++;
        }
        return new Split(found[0], after.isEmpty() ? List.of() : after.get(0), emptyAfter[0]);
    }

    /** AnalyzerAdapter lists a long or double as two entries (the type, then TOP); frames list it once. */
    private static List<Object> frameForm(List<Object> analyzerLocals) {
        List<Object> out = new java.util.ArrayList<>();
        if (analyzerLocals == null) {
            return out;
        }
        for (int i = 0; i < analyzerLocals.size(); i++) {
            Object t = analyzerLocals.get(i);
            out.add(t);
            if (t == Opcodes.LONG || t == Opcodes.DOUBLE) {
                i++;
            }
        }
        while (!out.isEmpty() && out.get(out.size() - 1) == Opcodes.TOP) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /**
     * The instructions up to and including the initializing call, as text, for comparing two versions.
     * The stores of parameters into the class's own fields that open the constructor (javac's
     * {@code this$0} and {@code val$x} of an inner or local class) are listed as a set: no code can
     * see their order (the object does not exist for any code until the call), and javac versions
     * emit them in different orders, which must not make two builds of one constructor differ.
     */
    public static String prefixFingerprint(String owner, MethodNode ctor) {
        int split = initializingCall(owner, ctor);
        if (split < 0) {
            return "";
        }
        AbstractInsnNode call = ctor.instructions.get(split);
        List<String> stores = new java.util.ArrayList<>();
        AbstractInsnNode rest = openingFieldStores(owner, ctor, call, stores);
        String code = MethodBodies.fingerprint(ctor, rest, call);
        if (new java.util.HashSet<>(fieldsOf(stores)).size() == stores.size()) {
            java.util.Collections.sort(stores); // each field stored once: the order is invisible
        }
        return stores.isEmpty() ? code : "stores " + stores + "\n" + code;
    }

    /**
     * The constructor's first instructions of the form {@code aload 0; <load> p; putfield owner.f}
     * with p a parameter, before any other instruction: each as {@code "f:desc=p"} into {@code stores}.
     * Returns the first instruction after them. No parameter can have been written before them.
     */
    private static AbstractInsnNode openingFieldStores(String owner, MethodNode ctor, AbstractInsnNode call,
                                                       List<String> stores) {
        int params = parameterSlots(ctor.desc);
        AbstractInsnNode at = ctor.instructions.getFirst();
        while (true) {
            AbstractInsnNode self = real(at);
            AbstractInsnNode load = self == null ? null : real(self.getNext());
            AbstractInsnNode put = load == null ? null : real(load.getNext());
            if (self == null || load == null || put == null || put == call
                || !(self instanceof org.objectweb.asm.tree.VarInsnNode s) || s.getOpcode() != Opcodes.ALOAD || s.var != 0
                || !(load instanceof org.objectweb.asm.tree.VarInsnNode l) || l.getOpcode() < Opcodes.ILOAD
                || l.getOpcode() > Opcodes.ALOAD || l.var == 0 || l.var >= params
                || !(put instanceof org.objectweb.asm.tree.FieldInsnNode f) || f.getOpcode() != Opcodes.PUTFIELD
                || !f.owner.equals(owner)) {
                return at;
            }
            stores.add(f.name + ":" + f.desc + "=" + l.var);
            at = put.getNext();
        }
    }

    private static List<String> fieldsOf(List<String> stores) {
        return stores.stream().map(s -> s.substring(0, s.indexOf('='))).toList();
    }

    /** {@code insn} or the first instruction after it that is real code (not a label, line number or frame). */
    private static AbstractInsnNode real(AbstractInsnNode insn) {
        while (insn != null && insn.getOpcode() < 0) {
            insn = insn.getNext();
        }
        return insn;
    }

    /**
     * Whether two versions of a constructor do the same: the same call (as {@link #prefixFingerprint}
     * compares it) and the same code after it.
     */
    public static boolean sameConstructor(String owner, MethodNode a, MethodNode b) {
        int sa = initializingCall(owner, a);
        int sb = initializingCall(owner, b);
        if (sa < 0 || sb < 0 || !prefixFingerprint(owner, a).equals(prefixFingerprint(owner, b))) {
            return false;
        }
        return MethodBodies.fingerprint(a, a.instructions.get(sa).getNext(), null)
            .equals(MethodBodies.fingerprint(b, b.instructions.get(sb).getNext(), null));
    }

    /** The call's owner: the superclass for {@code super(...)}, the class itself for {@code this(...)}. */
    public static String initializingOwner(String owner, MethodNode ctor) {
        int split = initializingCall(owner, ctor);
        return split < 0 ? null : ((MethodInsnNode) ctor.instructions.get(split)).owner;
    }

    /** The number of local slots the constructor's parameters (and {@code this}) take. */
    public static int parameterSlots(String desc) {
        int slots = 1;
        for (Type t : Type.getArgumentTypes(desc)) {
            slots += t.getSize();
        }
        return slots;
    }

    /** Whether the code after the initializing call reads a local that is not a parameter. */
    public static boolean readsPrefixLocals(String owner, MethodNode ctor) {
        int split = initializingCall(owner, ctor);
        int params = parameterSlots(ctor.desc);
        List<AbstractInsnNode> after = List.of(ctor.instructions.toArray()).subList(split + 1, ctor.instructions.size());
        java.util.Set<Integer> written = new java.util.HashSet<>();
        for (AbstractInsnNode insn : after) {
            if (insn instanceof org.objectweb.asm.tree.VarInsnNode v) {
                boolean store = v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE;
                if (store) {
                    written.add(v.var);
                } else if (v.var >= params && !written.contains(v.var)) {
                    return true;
                }
            } else if (insn instanceof org.objectweb.asm.tree.IincInsnNode inc && inc.var >= params
                && !written.contains(inc.var)) {
                return true;
            }
        }
        return false;
    }

    private static int argumentSlots(String desc) {
        int slots = 0;
        for (Type t : Type.getArgumentTypes(desc)) {
            slots += t.getSize();
        }
        return slots;
    }
}
