package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;

/**
 * What a change of modifiers means for the running class, in words for the build report. A
 * redefinition cannot change a loaded class's or member's modifiers, so each change is honoured by
 * the generation's code (docs/patch-format.md, "Modifiers"): the loaded member keeps its modifiers,
 * and the note says what that leaves.
 */
final class ModifierChanges {

    private static final int VISIBILITY = Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE;

    private ModifierChanges() {}

    static String ofClass(int before, int after) {
        List<String> what = new ArrayList<>();
        what.add("'" + Modifiers.ofClass(before) + "' to '" + Modifiers.ofClass(after) + "'");
        if ((before & ~after & Opcodes.ACC_FINAL) != 0) {
            what.add("the loaded class stays final, so a class the patch adds cannot extend it");
        }
        if ((~before & after & Opcodes.ACC_PUBLIC) != 0) {
            what.add("the loaded class stays package-private: patched code in other packages cannot name it");
        }
        return String.join("; ", what);
    }

    static String ofMethod(int before, int after) {
        List<String> what = new ArrayList<>();
        what.add("'" + Modifiers.ofMethod(before) + "' to '" + Modifiers.ofMethod(after) + "'");
        visibility(before, after, what, "method");
        if ((~before & after & Opcodes.ACC_SYNCHRONIZED) != 0) {
            what.add("synchronized: the new code holds " + ((after & Opcodes.ACC_STATIC) != 0 ? "the class's"
                : "the receiver's") + " monitor");
        }
        if ((before & ~after & Opcodes.ACC_FINAL) != 0) {
            what.add("the loaded method stays final, so a class the patch adds cannot override it");
        }
        return String.join("; ", what);
    }

    static String ofField(int before, int after) {
        List<String> what = new ArrayList<>();
        what.add("'" + Modifiers.ofField(before) + "' to '" + Modifiers.ofField(after) + "'");
        visibility(before, after, what, "field");
        if ((before & ~after & Opcodes.ACC_FINAL) != 0) {
            what.add("the loaded field stays final: patched code writes it through the agent");
        }
        if ((~before & after & Opcodes.ACC_VOLATILE) != 0) {
            what.add("volatile: patched code reads and writes it with volatile semantics, older code does not");
        }
        if ((before & ~after & Opcodes.ACC_VOLATILE) != 0) {
            what.add("the loaded field stays volatile (a stronger ordering than the new build asks)");
        }
        return String.join("; ", what);
    }

    private static void visibility(int before, int after, List<String> what, String kind) {
        if ((before & VISIBILITY) == (after & VISIBILITY)) {
            return;
        }
        what.add(rank(after) > rank(before)
            ? "the loaded " + kind + " keeps its narrower access: patched code reaches it through the agent"
            : "the loaded " + kind + " keeps its wider access: code outside the patch may still use it");
    }

    /** private < package < protected < public. */
    private static int rank(int access) {
        if ((access & Opcodes.ACC_PUBLIC) != 0) {
            return 3;
        }
        if ((access & Opcodes.ACC_PROTECTED) != 0) {
            return 2;
        }
        return (access & Opcodes.ACC_PRIVATE) != 0 ? 0 : 1;
    }
}
