package io.livepatch4j.patch.diff;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A changed, added or removed static initializer. A loaded class is never initialized again, so a
 * patch runs, once, when it is applied, the part of the new initializer that the old one did not
 * run: the initializer is cut into statements (javac emits field initializers and static blocks in
 * source order; a cut falls where the operand stack is empty and no local variable, jump or try
 * block spans it), the two lists are aligned (longest common subsequence of their code), and the
 * statements of the new one that the alignment does not pair run, in source order. In them, a store
 * to a static field the loaded class already has is dropped: the state the old initializer built is
 * kept (a class transformer may migrate it), and the build report lists those fields, since their
 * meaning in the new build differs. Stores to fields the patch adds reach their shadow storage.
 */
public final class StaticInitializers {

    /** One statement: instructions {@code [from, to)} of the initializer, and the static fields it stores. */
    public record Statement(int from, int to, String code, Set<String> stores) {
    }

    /**
     * What applying the new initializer does.
     *
     * @param run         the new initializer's statements to run, in order (indices into its instructions)
     * @param statements  how many statements the new initializer has
     * @param keptFields  existing static fields ({@code name:desc}) whose initializing statement changed
     *                    or went: they keep the value the old initializer gave them
     * @param existing    every static field of the running version: stores to them are dropped
     */
    public record Plan(List<Statement> run, int statements, Set<String> keptFields, Set<String> existing) {

        public boolean runsNothing() {
            return run.isEmpty();
        }
    }

    private StaticInitializers() {}

    /** The plan for a class whose initializer is {@code oldInit} in the running version and {@code newInit} in the patch's. */
    public static Plan plan(ClassNode oldClass, ClassNode newClass) {
        MethodNode oldInit = clinit(oldClass);
        MethodNode newInit = clinit(newClass);
        List<Statement> before = oldInit == null ? List.of() : statements(oldClass.name, oldInit);
        List<Statement> after = newInit == null ? List.of() : statements(newClass.name, newInit);
        boolean[] paired = pairedInNew(before, after);
        boolean[] kept = pairedInNew(after, before);
        Set<String> existing = new LinkedHashSet<>();
        for (FieldNode f : oldClass.fields) {
            if ((f.access & Opcodes.ACC_STATIC) != 0) {
                existing.add(f.name + ":" + f.desc);
            }
        }
        List<Statement> run = new ArrayList<>();
        Set<String> changedMeaning = new TreeSet<>();
        for (int i = 0; i < after.size(); i++) {
            Statement s = after.get(i);
            if (!paired[i] && !onlyAssertionSwitch(s)) {
                run.add(s);
                s.stores().stream().filter(existing::contains).forEach(changedMeaning::add);
            }
        }
        for (int i = 0; i < before.size(); i++) {
            if (!kept[i]) {
                before.get(i).stores().stream().filter(existing::contains)
                    .filter(f -> !f.startsWith(AssertionSwitch.FIELD + ":")).forEach(changedMeaning::add);
            }
        }
        return new Plan(List.copyOf(run), after.size(), changedMeaning, Set.copyOf(existing));
    }

    /**
     * The plan for a class the patch re-initializes (Reinitialization): every statement of the new
     * initializer runs; stores to the {@code reinitialized} fields reach their shadow storage, stores
     * to the other static fields (javac's assertion switch) are dropped.
     */
    public static Plan whole(ClassNode newClass, Set<String> reinitialized) {
        MethodNode newInit = clinit(newClass);
        List<Statement> all = newInit == null ? List.of() : statements(newClass.name, newInit);
        Set<String> existing = new LinkedHashSet<>();
        for (FieldNode f : newClass.fields) {
            if ((f.access & Opcodes.ACC_STATIC) != 0 && !reinitialized.contains(f.name + ":" + f.desc)) {
                existing.add(f.name + ":" + f.desc);
            }
        }
        return new Plan(all, all.size(), Set.of(), Set.copyOf(existing));
    }

    private static boolean onlyAssertionSwitch(Statement s) {
        return s.stores().size() == 1 && s.stores().iterator().next().startsWith(AssertionSwitch.FIELD + ":");
    }

    public static MethodNode clinit(ClassNode c) {
        for (MethodNode m : c.methods) {
            if ("<clinit>".equals(m.name)) {
                return m;
            }
        }
        return null;
    }

    /** For each statement of {@code a}, whether the longest common subsequence with {@code b} pairs it. */
    private static boolean[] pairedInNew(List<Statement> b, List<Statement> a) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).code().equals(b.get(j).code()) ? lcs[i + 1][j + 1] + 1
                    : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        boolean[] paired = new boolean[n];
        int i = 0;
        int j = 0;
        while (i < n && j < m) {
            if (a.get(i).code().equals(b.get(j).code())) {
                paired[i++] = true;
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        return paired;
    }

    /** The initializer cut into statements, without its final return. */
    public static List<Statement> statements(String owner, MethodNode init) {
        InsnList code = init.instructions;
        int n = code.size();
        Frame<BasicValue>[] frames;
        try {
            frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, init);
        } catch (AnalyzerException e) {
            return List.of(new Statement(0, n, text(init, 0, n), stores(owner, code, 0, n)));
        }
        boolean[] cut = new boolean[n + 1];
        for (int i = 0; i < n; i++) {
            // Never between a label and its line number or stack map frame: a jump's target keeps its
            // frame (cut off, it went with the next statement, and a statement run without that one
            // jumped to a label with no frame: VerifyError, guava 32's AbstractFuture$UnsafeAtomicHelper).
            int type = code.get(i).getType();
            cut[i] = frames[i] != null && frames[i].getStackSize() == 0
                && type != AbstractInsnNode.FRAME && type != AbstractInsnNode.LINE;
        }
        cut[n] = true;
        Map<LabelNode, Integer> at = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (code.get(i) instanceof LabelNode l) {
                at.put(l, i);
            }
        }
        for (int i = 0; i < n; i++) {
            AbstractInsnNode insn = code.get(i);
            List<LabelNode> targets = new ArrayList<>();
            if (insn instanceof JumpInsnNode j) {
                targets.add(j.label);
            } else if (insn instanceof TableSwitchInsnNode t) {
                targets.add(t.dflt);
                targets.addAll(t.labels);
            } else if (insn instanceof LookupSwitchInsnNode l) {
                targets.add(l.dflt);
                targets.addAll(l.labels);
            }
            for (LabelNode t : targets) {
                forbid(cut, i, at.get(t));
            }
        }
        for (TryCatchBlockNode t : init.tryCatchBlocks) {
            forbid(cut, at.get(t.start), at.get(t.end));
            forbid(cut, at.get(t.start), at.get(t.handler));
        }
        // A local stored before a cut and loaded after it keeps the two sides together.
        Map<Integer, Integer> firstStore = new HashMap<>();
        Map<Integer, Integer> lastLoad = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (code.get(i) instanceof VarInsnNode v) {
                boolean store = v.getOpcode() >= Opcodes.ISTORE && v.getOpcode() <= Opcodes.ASTORE;
                if (store) {
                    firstStore.putIfAbsent(v.var, i);
                } else {
                    lastLoad.put(v.var, i);
                }
            } else if (code.get(i) instanceof org.objectweb.asm.tree.IincInsnNode inc) {
                firstStore.putIfAbsent(inc.var, i);
                lastLoad.put(inc.var, i);
            }
        }
        for (Map.Entry<Integer, Integer> s : firstStore.entrySet()) {
            Integer load = lastLoad.get(s.getKey());
            if (load != null) {
                forbid(cut, s.getValue(), load);
            }
        }
        List<Statement> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (!cut[i]) {
                continue;
            }
            if (hasCode(code, start, i) && !isReturn(code, start, i)) {
                out.add(new Statement(start, i, text(init, start, i), stores(owner, code, start, i)));
            }
            start = i;
        }
        return out;
    }

    private static void forbid(boolean[] cut, Integer a, Integer b) {
        if (a == null || b == null) {
            return;
        }
        for (int i = Math.min(a, b) + 1; i <= Math.max(a, b); i++) {
            cut[i] = false;
        }
    }

    private static boolean hasCode(InsnList code, int from, int to) {
        for (int i = from; i < to; i++) {
            if (code.get(i).getOpcode() >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isReturn(InsnList code, int from, int to) {
        for (int i = from; i < to; i++) {
            int op = code.get(i).getOpcode();
            if (op >= 0) {
                return op == Opcodes.RETURN;
            }
        }
        return false;
    }

    /** The statement's code as text, its exception handlers included, without debug information. */
    private static String text(MethodNode init, int from, int to) {
        StringBuilder s = new StringBuilder(MethodBodies.fingerprint(init, init.instructions.get(from),
            init.instructions.get(to - 1)));
        for (TryCatchBlockNode t : init.tryCatchBlocks) {
            int start = init.instructions.indexOf(t.start);
            if (start >= from && start < to) {
                s.append("\ncatch ").append(t.type); // where it starts and ends: the code's text around it
            }
        }
        return s.toString();
    }

    private static Set<String> stores(String owner, InsnList code, int from, int to) {
        Set<String> s = new LinkedHashSet<>();
        for (int i = from; i < to; i++) {
            if (code.get(i) instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTSTATIC && f.owner.equals(owner)) {
                s.add(f.name + ":" + f.desc);
            }
        }
        return s;
    }
}
