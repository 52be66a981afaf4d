package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares method bodies by their instructions, ignoring everything that only debug information
 * changes: line numbers, local variable names, stack map frames, and the labels that only those
 * refer to (a line-only edit, or a build with -g and one without, adds or moves such labels).
 * Constant pool indices differ between two compilations of the same method, so raw bytes cannot
 * be compared; the textual form of the instructions can.
 */
public final class MethodBodies {

    private MethodBodies() {}

    /**
     * Whether the two methods' {@link #fingerprint}s are equal, decided without building them: the
     * instructions are compared one by one, debug-only ones skipped, labels matched in the order the
     * text would name them (exception handlers first, then the code). A diff asks this for every
     * method of every class of a patch, several times for some; writing each body as text was most of
     * a big patch's check (MethodBodiesTest holds it to the text's answer on real libraries).
     */
    public static boolean sameCode(MethodNode a, MethodNode b) {
        if (a.tryCatchBlocks.size() != b.tryCatchBlocks.size()) {
            return false;
        }
        if (annotatesInstructions(a) || annotatesInstructions(b)) {
            // The text shows type annotations on instructions (a checker's @NonNull on a call's type
            // argument, say); so few methods have them that the text decides there.
            return fingerprint(a).equals(fingerprint(b));
        }
        Set<LabelNode> usedA = labelsCode(a);
        Set<LabelNode> usedB = labelsCode(b);
        Map<LabelNode, LabelNode> labels = new HashMap<>();
        Map<LabelNode, LabelNode> back = new HashMap<>();
        for (int i = 0; i < a.tryCatchBlocks.size(); i++) {
            TryCatchBlockNode ta = a.tryCatchBlocks.get(i);
            TryCatchBlockNode tb = b.tryCatchBlocks.get(i);
            if (!java.util.Objects.equals(ta.type, tb.type) || !same(ta.start, tb.start, labels, back)
                || !same(ta.end, tb.end, labels, back) || !same(ta.handler, tb.handler, labels, back)) {
                return false;
            }
        }
        AbstractInsnNode x = next(a.instructions.getFirst(), usedA);
        AbstractInsnNode y = next(b.instructions.getFirst(), usedB);
        while (x != null && y != null) {
            if (!sameInsn(x, y, labels, back)) {
                return false;
            }
            x = next(x.getNext(), usedA);
            y = next(y.getNext(), usedB);
        }
        return x == null && y == null;
    }

    /** Whether an instruction of {@code m} carries a type annotation (a Code attribute's RuntimeVisibleTypeAnnotations, say). */
    private static boolean annotatesInstructions(MethodNode m) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.visibleTypeAnnotations != null || insn.invisibleTypeAnnotations != null) {
                return true;
            }
        }
        return false;
    }

    /** {@code insn} or the first instruction after it that the fingerprint shows; null at the end. */
    private static AbstractInsnNode next(AbstractInsnNode insn, Set<LabelNode> used) {
        while (insn != null && (insn.getType() == AbstractInsnNode.LINE || insn.getType() == AbstractInsnNode.FRAME
            || (insn instanceof LabelNode l && !used.contains(l)))) {
            insn = insn.getNext();
        }
        return insn;
    }

    /** Whether label {@code a} of one method stands where {@code b} does in the other (a one-to-one match). */
    private static boolean same(LabelNode a, LabelNode b, Map<LabelNode, LabelNode> labels, Map<LabelNode, LabelNode> back) {
        LabelNode was = labels.putIfAbsent(a, b);
        LabelNode wasBack = back.putIfAbsent(b, a);
        return (was == null || was == b) && (wasBack == null || wasBack == a);
    }

    private static boolean sameLabels(List<LabelNode> a, List<LabelNode> b, Map<LabelNode, LabelNode> labels,
                                      Map<LabelNode, LabelNode> back) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!same(a.get(i), b.get(i), labels, back)) {
                return false;
            }
        }
        return true;
    }

    /** Whether two instructions print the same in the fingerprint, their labels matched as they go. */
    private static boolean sameInsn(AbstractInsnNode x, AbstractInsnNode y, Map<LabelNode, LabelNode> labels,
                                    Map<LabelNode, LabelNode> back) {
        if (x.getOpcode() != y.getOpcode() || x.getType() != y.getType()) {
            return false;
        }
        switch (x.getType()) {
            case AbstractInsnNode.INSN:
                return true;
            case AbstractInsnNode.INT_INSN:
                return ((IntInsnNode) x).operand == ((IntInsnNode) y).operand;
            case AbstractInsnNode.VAR_INSN:
                return ((VarInsnNode) x).var == ((VarInsnNode) y).var;
            case AbstractInsnNode.TYPE_INSN:
                return ((TypeInsnNode) x).desc.equals(((TypeInsnNode) y).desc);
            case AbstractInsnNode.FIELD_INSN: {
                FieldInsnNode f = (FieldInsnNode) x;
                FieldInsnNode g = (FieldInsnNode) y;
                return f.owner.equals(g.owner) && f.name.equals(g.name) && f.desc.equals(g.desc);
            }
            case AbstractInsnNode.METHOD_INSN: {
                MethodInsnNode f = (MethodInsnNode) x;
                MethodInsnNode g = (MethodInsnNode) y;
                return f.owner.equals(g.owner) && f.name.equals(g.name) && f.desc.equals(g.desc) && f.itf == g.itf;
            }
            case AbstractInsnNode.INVOKE_DYNAMIC_INSN: {
                InvokeDynamicInsnNode f = (InvokeDynamicInsnNode) x;
                InvokeDynamicInsnNode g = (InvokeDynamicInsnNode) y;
                return f.name.equals(g.name) && f.desc.equals(g.desc) && f.bsm.equals(g.bsm)
                    && java.util.Arrays.equals(f.bsmArgs, g.bsmArgs);
            }
            case AbstractInsnNode.JUMP_INSN:
                return same(((JumpInsnNode) x).label, ((JumpInsnNode) y).label, labels, back);
            case AbstractInsnNode.LABEL:
                return same((LabelNode) x, (LabelNode) y, labels, back);
            case AbstractInsnNode.LDC_INSN:
                return sameConstant(((LdcInsnNode) x).cst, ((LdcInsnNode) y).cst);
            case AbstractInsnNode.IINC_INSN:
                return ((IincInsnNode) x).var == ((IincInsnNode) y).var && ((IincInsnNode) x).incr == ((IincInsnNode) y).incr;
            case AbstractInsnNode.TABLESWITCH_INSN: {
                TableSwitchInsnNode f = (TableSwitchInsnNode) x;
                TableSwitchInsnNode g = (TableSwitchInsnNode) y;
                return f.min == g.min && f.max == g.max && same(f.dflt, g.dflt, labels, back)
                    && sameLabels(f.labels, g.labels, labels, back);
            }
            case AbstractInsnNode.LOOKUPSWITCH_INSN: {
                LookupSwitchInsnNode f = (LookupSwitchInsnNode) x;
                LookupSwitchInsnNode g = (LookupSwitchInsnNode) y;
                return f.keys.equals(g.keys) && same(f.dflt, g.dflt, labels, back) && sameLabels(f.labels, g.labels, labels, back);
            }
            case AbstractInsnNode.MULTIANEWARRAY_INSN:
                return ((MultiANewArrayInsnNode) x).desc.equals(((MultiANewArrayInsnNode) y).desc)
                    && ((MultiANewArrayInsnNode) x).dims == ((MultiANewArrayInsnNode) y).dims;
            default:
                // Anything else the text would show: compare the text.
                return fingerprint(insnMethod(x)).equals(fingerprint(insnMethod(y)));
        }
    }

    /** Constants as the text shows them: equal values of one type (a Float 1 and an Integer 1 differ). */
    private static boolean sameConstant(Object a, Object b) {
        return a.getClass() == b.getClass() && a.equals(b);
    }

    /** A method of the one instruction, for the rare kinds {@link #sameInsn} leaves to the text. */
    private static MethodNode insnMethod(AbstractInsnNode insn) {
        MethodNode m = new MethodNode(Opcodes.ASM9, 0, "m", "()V", null, null);
        m.instructions.add(insn.clone(new HashMap<>()));
        return m;
    }

    /** The method's instructions and exception handlers as text, without debug information. */
    public static String fingerprint(MethodNode method) {
        return fingerprint(method, method.instructions.getFirst(), null);
    }

    /** The fingerprint of the instructions from {@code first} up to and including {@code last} (null: to the end). */
    public static String fingerprint(MethodNode method, AbstractInsnNode first, AbstractInsnNode last) {
        Set<LabelNode> used = labelsCode(method);
        Map<LabelNode, LabelNode> clones = new HashMap<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LabelNode l) {
                clones.put(l, new LabelNode());
            }
        }
        MethodNode code = new MethodNode(Opcodes.ASM9, method.access, method.name, method.desc, null, null);
        InsnList out = code.instructions;
        boolean in = false;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            in |= insn == first;
            if (!in) {
                continue;
            }
            int type = insn.getType();
            boolean debugOnly = type == AbstractInsnNode.LINE || type == AbstractInsnNode.FRAME
                || (insn instanceof LabelNode l && !used.contains(l));
            if (!debugOnly) {
                out.add(insn.clone(clones));
            }
            if (insn == last) {
                break;
            }
        }
        if (last == null) {
            for (TryCatchBlockNode t : method.tryCatchBlocks) {
                code.tryCatchBlocks.add(new TryCatchBlockNode(clones.get(t.start), clones.get(t.end), clones.get(t.handler),
                    t.type));
            }
        }
        Textifier text = new Textifier();
        code.accept(new TraceMethodVisitor(text));
        StringBuilder sb = new StringBuilder();
        for (Object line : text.getText()) {
            sb.append(line);
        }
        return sb.toString();
    }

    /** The labels that the code itself refers to: jump and switch targets and exception ranges. */
    private static Set<LabelNode> labelsCode(MethodNode m) {
        Set<LabelNode> used = new HashSet<>();
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof JumpInsnNode j) {
                used.add(j.label);
            } else if (insn instanceof TableSwitchInsnNode t) {
                used.add(t.dflt);
                used.addAll(t.labels);
            } else if (insn instanceof LookupSwitchInsnNode l) {
                used.add(l.dflt);
                used.addAll(l.labels);
            }
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            used.add(t.start);
            used.add(t.end);
            used.add(t.handler);
        }
        return used;
    }
}
