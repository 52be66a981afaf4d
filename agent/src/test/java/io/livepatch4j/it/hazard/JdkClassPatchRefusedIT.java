package io.livepatch4j.it.hazard;

import io.livepatch4j.it.support.ChildClassPath;
import io.livepatch4j.it.support.TestPatches;
import io.livepatch4j.patch.ClassPatch;
import io.livepatch4j.patch.Patch;
import io.livepatch4j.patch.PatchFormat;
import io.livepatch4j.patch.Sha256;
import io.livepatch4j.patch.diff.ClassDiff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Suspected hazard s2 of issue 10, second half: a patch that names a JDK class (java.util.ArrayList)
 * must be refused before anything changes: no retransformation of the JDK class to give it a
 * prologue, no class taken in hand, the JVM unharmed. Applied in a child JVM (prepared mode, with
 * a time limit), because a JVM whose ArrayList the agent did change may not survive it.
 */
class JdkClassPatchRefusedIT {

    @Test
    @Timeout(90)
    void patchOfAJdkClassIsRefusedBeforeAnythingChanges() throws Exception {
        byte[] v1 = TestPatches.classpathBytes("java.util.ArrayList");
        assertNotNull(v1, "ArrayList's class file is readable as a resource");
        byte[] v2 = withHarmlessChange(v1, "trimToSize");
        ClassDiff.Result diff = ClassDiff.compare(v1, v2);
        assertFalse(diff.unchanged(), "the patch changes ArrayList.trimToSize");
        Patch patch = new Patch("hazard-jdk-arraylist", "livepatch4j tests", Instant.now().toString(), null,
            List.of(new ClassPatch("java.util.ArrayList", Sha256.hex(v1), v2, new ArrayList<>(diff.changes()))),
            List.of(), null);
        Path dir = Files.createTempDirectory("lp4j-jdk-patch");
        Path file = dir.resolve("arraylist.lp4j");
        PatchFormat.write(patch, file);
        Path out = dir.resolve("out.txt");

        String testClasses = ChildClassPath.testClassesAndControl();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-javaagent:" + System.getProperty("lp4j.agent.jar") + "=packages=io.livepatch4j.it.hazard.app",
            "-cp", testClasses));
        for (String extra : System.getProperty("lp4j.test.jvmArgs", "").trim().split("\\s+")) {
            if (!extra.isEmpty()) {
                cmd.add(extra);
            }
        }
        cmd.addAll(List.of("io.livepatch4j.it.child.JdkPatchTarget", file.toString()));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean ended = child.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String transcript = Files.readString(out, StandardCharsets.UTF_8);
        if (!ended) {
            fail("the JVM that was given a patch of java.util.ArrayList hung (killed after 30 s):\n" + transcript);
        }
        String result = transcript.lines().filter(l -> l.startsWith("RESULT")).findFirst()
            .orElseGet(() -> fail("the child JVM printed no result (exit " + child.exitValue() + "):\n" + transcript));
        assertAll(result,
            () -> assertTrue(result.contains("outcome=refused by java.lang.IllegalArgumentException"), "refused"),
            () -> assertTrue(result.substring(result.indexOf("outcome=")).contains("java.util.ArrayList"), "the refusal names the class"),
            () -> assertTrue(result.contains("generationChanged=false"), "the generation is unchanged"),
            () -> assertTrue(result.contains("classes=[]"), "no class was taken in hand"),
            () -> assertTrue(result.contains("list=[1, 2]"), "ArrayList works as before"));
    }

    /** The class with {@code iconst_0; pop} put at the start of {@code method}: other bytes, same behaviour. */
    private static byte[] withHarmlessChange(byte[] bytes, String method) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, exceptions);
                if (!name.equals(method)) {
                    return mv;
                }
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitInsn(Opcodes.ICONST_0);
                        super.visitInsn(Opcodes.POP);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
