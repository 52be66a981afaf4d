package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

import java.util.HashMap;
import java.util.HashSet;
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

    public static boolean sameCode(MethodNode a, MethodNode b) {
        return fingerprint(a).equals(fingerprint(b));
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
