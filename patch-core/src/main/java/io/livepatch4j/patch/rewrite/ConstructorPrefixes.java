package io.livepatch4j.patch.rewrite;

import io.livepatch4j.patch.diff.ConstructorSplit;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;

import java.util.List;
import java.util.Map;

/**
 * Constructors whose super(...)/this(...) call a patch changed. That call runs before the object
 * exists, so no dispatch to another class can run it; the loaded constructor itself must. The agent
 * redefines the class once with every variant of the call that a live version needs, each the
 * version's code up to and including its call, and a switch in front that picks the variant of the
 * calling thread's generation:
 *
 * <pre>
 *   if (lp4j$guard())
 *       switch (lp4j$prefix())          // the variant of the thread's generation, 0 for the loaded one
 *           case 1: ...variant 1...; return c$init(this, args...)   // that version's body
 *           ...
 *   ...the loaded code, up to its call...
 *   ...the prologue, then the rest...
 * </pre>
 *
 * Every caller gets the generation's call this way: {@code new C(...)} anywhere, and subclasses'
 * constructors. A variant's code is rewritten as a class the patch adds is (the host's own members
 * need nothing; what the patch adds to loaded classes goes through dispatch).
 */
public final class ConstructorPrefixes {

    /** The prefix switch's call: {@code lp4j$prefix()I}, linked to the constructor's descriptor. */
    static final String METHOD = "lp4j$prefix";

    private ConstructorPrefixes() {}

    /** A version's constructor code up to and including its super(...)/this(...) call, rewritten for the host. */
    public static MethodNode prefixOf(String host, MethodNode ctor, RewriteContext ctx) {
        int split = ConstructorSplit.initializingCall(host, ctor);
        MethodNode copy = new MethodNode(ctor.access, ctor.name, ctor.desc, null, null);
        Map<LabelNode, LabelNode> labels = ImplClassWriter.freshLabels(ctor.instructions);
        for (int i = 0; i <= split; i++) {
            AbstractInsnNode insn = ctor.instructions.get(i);
            if (insn.getType() != AbstractInsnNode.LINE) {
                copy.instructions.add(insn.clone(labels));
            }
        }
        copy.instructions.add(new InsnNode(Opcodes.RETURN)); // ends the copy; dropped below
        copy.maxStack = ctor.maxStack;
        copy.maxLocals = ctor.maxLocals;
        AddedConstructorCalls.rewrite(host, copy, ctx);
        MethodNode out = new MethodNode(ctor.access, ctor.name, ctor.desc, null, null);
        copy.accept(ImplClassWriter.pipeline(ctx, out));
        out.instructions.remove(out.instructions.getLast()); // the RETURN added above
        out.maxStack = Math.max(out.maxStack, ctor.maxStack);
        out.maxLocals = Math.max(out.maxLocals, ctor.maxLocals);
        return out;
    }

    /**
     * Splices the switch and the variants in front of {@code ctor}'s code. A variant never joins the
     * loaded code: it ends in the constructor's dispatch, so the object it initialized gets the body
     * of the same version (the code after its call), and the loaded code's locals after its own call
     * (a compiler's temporaries, which the verifier checks at a join) never need to match the variant's.
     */
    static void splice(String host, MethodNode ctor, List<MethodNode> variants) {
        Object[] startLocals = PrologueWriter.initialLocals(host, ctor.desc, false);
        startLocals[0] = Opcodes.UNINITIALIZED_THIS; // before its super(...)/this(...) call
        LabelNode loaded = new LabelNode();
        LabelNode[] cases = new LabelNode[variants.size()];
        InsnList head = new InsnList();
        head.add(new InvokeDynamicInsnNode("lp4j$guard", "()Z", RuntimeNames.GUARD));
        head.add(new JumpInsnNode(Opcodes.IFEQ, loaded));
        head.add(new InvokeDynamicInsnNode(METHOD, "()I", RuntimeNames.CONSTRUCTOR_PREFIX, ctor.desc));
        for (int i = 0; i < cases.length; i++) {
            cases[i] = new LabelNode();
        }
        head.add(new TableSwitchInsnNode(1, cases.length, loaded, cases));
        int maxStack = Math.max(ctor.maxStack, 1);
        int maxLocals = ctor.maxLocals;
        for (int i = 0; i < cases.length; i++) {
            MethodNode v = variants.get(i);
            head.add(cases[i]);
            head.add(new FrameNode(Opcodes.F_NEW, startLocals.length, startLocals, 0, new Object[0]));
            Map<LabelNode, LabelNode> labels = ImplClassWriter.freshLabels(v.instructions);
            // A variant whose code starts at a loop's head (a constructor body with statements before
            // its call, JDK 22 and later) starts with a frame of its own, at the offset of the one above:
            // two frames at one offset make a malformed StackMapTable. Both are the entry state; one goes.
            boolean leading = PrologueWriter.startsWithFrame(v.instructions.getFirst());
            for (AbstractInsnNode insn : v.instructions) {
                if (leading && insn.getType() == AbstractInsnNode.FRAME) {
                    leading = false;
                    continue;
                }
                head.add(insn.clone(labels));
            }
            // The variant's call leaves nothing the body needs on the stack: the body takes the
            // object and the constructor's arguments, as every version's body does (ImplClassWriter).
            int pushed = PrologueWriter.dispatchCall(head, host, ctor.name, ctor.desc, false, 0);
            head.add(new InsnNode(Opcodes.RETURN));
            maxStack = Math.max(maxStack, Math.max(v.maxStack, pushed));
            maxLocals = Math.max(maxLocals, v.maxLocals);
        }
        head.add(loaded);
        if (!PrologueWriter.startsWithFrame(ctor.instructions.getFirst())) {
            head.add(new FrameNode(Opcodes.F_NEW, startLocals.length, startLocals, 0, new Object[0]));
        }
        ctor.instructions.insert(head);
        ctor.maxStack = maxStack;
        ctor.maxLocals = maxLocals;
    }
}
