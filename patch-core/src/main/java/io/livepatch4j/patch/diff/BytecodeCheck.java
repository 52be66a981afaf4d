package io.livepatch4j.patch.diff;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.BasicVerifier;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks every method of a class file with ASM's data-flow verifier (operand stack and local types
 * at the level of int/long/float/double/reference), so that bytes which would fail the JVM's
 * verification are refused with the member named, before anything is defined. The JVM still
 * verifies everything the agent defines; this check gives the better message. For a new version of a
 * loaded class, only its methods whose code differs from the running version's are checked: the
 * others have the instructions the JVM verified when it loaded the class (a release's patch changes
 * a few percent of the methods of the classes it touches).
 */
public final class BytecodeCheck {

    private BytecodeCheck() {}

    public static List<Refusal> check(byte[] classBytes) {
        ClassNode node = new ClassNode();
        try {
            new ClassReader(classBytes).accept(node, 0);
        } catch (RuntimeException e) {
            List<Refusal> problems = new ArrayList<>();
            problems.add(new Refusal("(unreadable class file)", null, "the class file cannot be parsed (" + e + ")",
                "rebuild the patch with 'lp4j build'"));
            return problems;
        }
        return check(node, null);
    }

    /**
     * Checks {@code node}'s methods, but for those whose code is the same ({@link MethodBodies#sameCode})
     * as the method of that name and descriptor in {@code running} (the code the JVM loaded and
     * verified; null: check every method).
     */
    public static List<Refusal> check(ClassNode node, ClassNode running) {
        List<Refusal> problems = new ArrayList<>();
        String className = node.name.replace('/', '.');
        java.util.Map<String, MethodNode> verified = new java.util.HashMap<>();
        if (running != null) {
            running.methods.forEach(m -> verified.put(m.name + m.desc, m));
        }
        for (MethodNode m : node.methods) {
            if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                continue;
            }
            MethodNode loaded = verified.get(m.name + m.desc);
            if (loaded != null && loaded.instructions.size() > 0 && MethodBodies.sameCode(loaded, m)) {
                continue;
            }
            try {
                new Analyzer<BasicValue>(new BasicVerifier()).analyze(node.name, m);
            } catch (AnalyzerException | RuntimeException e) {
                problems.add(new Refusal(className, m.name + m.desc, "the bytecode fails verification ("
                    + e.getMessage() + ")", "the class file is corrupt or was not made by a Java compiler; "
                    + "rebuild the patch with 'lp4j build' from javac output"));
            }
        }
        return problems;
    }
}
