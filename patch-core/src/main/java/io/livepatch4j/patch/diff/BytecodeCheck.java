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
 * verifies everything the agent defines; this check gives the better message.
 */
public final class BytecodeCheck {

    private BytecodeCheck() {}

    public static List<Refusal> check(byte[] classBytes) {
        List<Refusal> problems = new ArrayList<>();
        ClassNode node = new ClassNode();
        String className;
        try {
            new ClassReader(classBytes).accept(node, 0);
            className = node.name.replace('/', '.');
        } catch (RuntimeException e) {
            problems.add(new Refusal("(unreadable class file)", null, "the class file cannot be parsed (" + e + ")",
                "rebuild the patch with 'lp4j build'"));
            return problems;
        }
        for (MethodNode m : node.methods) {
            if ((m.access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
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
