package io.livepatch4j.patch.diff;

import org.objectweb.asm.Handle;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs the creation sites of two versions of one enclosing method by where they stand in its code,
 * not by what their bodies do. The enclosing methods' instructions are aligned (a longest common
 * subsequence of instruction tokens, a creation site's token being its kind of site) twice:
 * preferring the earliest matches and preferring the latest. Where the two agree on a pair of sites,
 * the code around them decides it; where they disagree (a lambda inserted beside another of the same
 * kind, say), the context cannot tell which is which. {@link LambdaPairing} pairs by code where the
 * enclosing method changed, and uses this to find where that pairing is a guess.
 */
final class SiteAlignment {

    /** Beyond this many cells the alignment is not computed; sites are then paired by their code. */
    private static final long MAX_CELLS = 4_000_000L;

    private SiteAlignment() {}

    /**
     * New site body (as {@code name + descriptor} of the handle) to old site body, for the sites
     * of {@code owner} that both alignments pair.
     */
    static Map<String, String> pairs(String owner, MethodNode oldEnclosing, MethodNode newEnclosing) {
        List<String> a = new ArrayList<>();
        List<String> aBodies = new ArrayList<>();
        tokens(owner, oldEnclosing, a, aBodies);
        List<String> b = new ArrayList<>();
        List<String> bBodies = new ArrayList<>();
        tokens(owner, newEnclosing, b, bBodies);
        if ((long) (a.size() + 1) * (b.size() + 1) > MAX_CELLS) {
            return Map.of();
        }
        int[] late = latestMatches(a, b);
        int[] early = earliestMatches(a, b);
        Map<String, String> pairs = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            if (aBodies.get(i) != null && late[i] >= 0 && late[i] == early[i] && bBodies.get(late[i]) != null) {
                pairs.put(bBodies.get(late[i]), aBodies.get(i));
            }
        }
        return pairs;
    }

    /** For each token of {@code a}, the index of its match in {@code b} (or -1), preferring late matches. */
    private static int[] latestMatches(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                lcs[i][j] = a.get(i - 1).equals(b.get(j - 1)) ? lcs[i - 1][j - 1] + 1
                    : Math.max(lcs[i - 1][j], lcs[i][j - 1]);
            }
        }
        int[] match = new int[n];
        java.util.Arrays.fill(match, -1);
        int i = n;
        int j = m;
        while (i > 0 && j > 0) {
            if (a.get(i - 1).equals(b.get(j - 1))) {
                match[i - 1] = j - 1;
                i--;
                j--;
            } else if (lcs[i - 1][j] >= lcs[i][j - 1]) {
                i--;
            } else {
                j--;
            }
        }
        return match;
    }

    /** As {@link #latestMatches}, preferring early matches: the same alignment of the reversed sequences. */
    private static int[] earliestMatches(List<String> a, List<String> b) {
        List<String> ra = new ArrayList<>(a);
        List<String> rb = new ArrayList<>(b);
        java.util.Collections.reverse(ra);
        java.util.Collections.reverse(rb);
        int[] reversed = latestMatches(ra, rb);
        int[] match = new int[a.size()];
        for (int i = 0; i < a.size(); i++) {
            int r = reversed[a.size() - 1 - i];
            match[i] = r < 0 ? -1 : b.size() - 1 - r;
        }
        return match;
    }

    /**
     * One token per instruction that is code (labels, line numbers and frames are not), with its
     * operands but without local lambda names; {@code bodies} holds, beside each token, the lambda
     * body a creation site of {@code owner} points at, or null.
     */
    private static void tokens(String owner, MethodNode m, List<String> tokens, List<String> bodies) {
        for (AbstractInsnNode insn : m.instructions) {
            if (insn.getOpcode() < 0) {
                continue;
            }
            String body = null;
            String t = String.valueOf(insn.getOpcode());
            if (insn instanceof InvokeDynamicInsnNode indy) {
                if (indy.bsmArgs.length >= 3 && indy.bsmArgs[1] instanceof Handle h && h.getOwner().equals(owner)) {
                    body = h.getName() + h.getDesc();
                    t += " " + indy.name + indy.desc + " " + indy.bsmArgs[0] + " " + indy.bsmArgs[2] + " " + h.getTag()
                        + " " + h.getDesc();
                } else {
                    t += " " + indy.name + indy.desc + " " + indy.bsm;
                }
            } else if (insn instanceof MethodInsnNode mi) {
                t += " " + mi.owner + "." + mi.name + mi.desc;
            } else if (insn instanceof FieldInsnNode fi) {
                t += " " + fi.owner + "." + fi.name + ":" + fi.desc;
            } else if (insn instanceof LdcInsnNode ldc) {
                t += " " + ldc.cst;
            } else if (insn instanceof IntInsnNode ii) {
                t += " " + ii.operand;
            } else if (insn instanceof VarInsnNode vi) {
                t += " " + vi.var;
            } else if (insn instanceof TypeInsnNode ti) {
                t += " " + ti.desc;
            } else if (insn instanceof IincInsnNode inc) {
                t += " " + inc.var + " " + inc.incr;
            } else if (insn instanceof MultiANewArrayInsnNode ma) {
                t += " " + ma.desc + " " + ma.dims;
            }
            tokens.add(t);
            bodies.add(body);
        }
    }
}
