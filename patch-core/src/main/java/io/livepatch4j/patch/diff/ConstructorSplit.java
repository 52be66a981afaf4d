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

    /** The instructions up to and including the initializing call, as text, for comparing two versions. */
    public static String prefixFingerprint(String owner, MethodNode ctor) {
        int split = initializingCall(owner, ctor);
        if (split < 0) {
            return "";
        }
        return MethodBodies.fingerprint(ctor, ctor.instructions.getFirst(), ctor.instructions.get(split));
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
